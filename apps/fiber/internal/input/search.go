package input

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"bakeoff/fiber/internal/store"
)

// Query gives a query parameter's last value and whether it was given at all.
type Query func(name string) (value string, given bool)

var decimal = regexp.MustCompile(`^-?[0-9]+$`)

// Search reads the search parameters (RULES.md §3): any fault is 422; blank q and empty brand
// count as absent; sort, limit and offset get their defaults. min_price above max_price is no
// fault: it matches nothing.
func Search(query Query) (store.SearchParams, error) {
	var p store.SearchParams
	if q, given := query("q"); given {
		if !IsText(q) || utf8.RuneCountInString(q) > 200 {
			return p, Invalid("q must be text of at most 200 characters")
		}
		if strings.Trim(q, " \t\r\n") != "" {
			p.Q = &q
		}
	}
	if brand, given := query("brand"); given && brand != "" {
		if !IsText(brand) {
			return p, Invalid("brand must be text")
		}
		p.Brand = &brand
	}
	var err error
	ints := []struct {
		name     string
		min, max int64
		into     **int32
	}{
		{"category", 1, math.MaxInt32, &p.Category},
		{"min_price", 0, math.MaxInt32, &p.MinPrice},
		{"max_price", 0, math.MaxInt32, &p.MaxPrice},
	}
	for _, param := range ints {
		if *param.into, err = optionalInt(query, param.name, param.min, param.max); err != nil {
			return p, err
		}
	}
	if p.InStock, err = inStock(query); err != nil {
		return p, err
	}
	if p.Sort, err = sort(query, p.Q != nil); err != nil {
		return p, err
	}
	if p.Limit, err = intOr(query, "limit", 1, 100, 20); err != nil {
		return p, err
	}
	p.Offset, err = intOr(query, "offset", 0, 10000, 0)
	return p, err
}

// optionalInt reads an integer parameter: nil when absent, 422 unless -?[0-9]+ within [min, max].
func optionalInt(query Query, name string, min, max int64) (*int32, error) {
	text, given := query(name)
	if !given {
		return nil, nil
	}
	if !decimal.MatchString(text) {
		return nil, Invalid("%s must be a decimal integer", name)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < min || n > max {
		return nil, Invalid("%s must be between %d and %d", name, min, max)
	}
	value := int32(n)
	return &value, nil
}

func intOr(query Query, name string, min, max int64, fallback int32) (int32, error) {
	value, err := optionalInt(query, name, min, max)
	if value == nil {
		return fallback, err
	}
	return *value, nil
}

func inStock(query Query) (*bool, error) {
	text, given := query("in_stock")
	if !given {
		return nil, nil
	}
	if text != "true" && text != "false" {
		return nil, Invalid("in_stock must be true or false")
	}
	value := text == "true"
	return &value, nil
}

// sort is the effective sort: relevance when q is given, else price_asc, unless one is asked for.
// relevance without q ranks nothing, so it orders by id alone.
func sort(query Query, hasQ bool) (string, error) {
	text, given := query("sort")
	switch {
	case !given && hasQ:
		return "relevance", nil
	case !given:
		return "price_asc", nil
	case text == "relevance", text == "price_asc", text == "price_desc":
		return text, nil
	}
	return "", Invalid("sort must be relevance, price_asc or price_desc")
}
