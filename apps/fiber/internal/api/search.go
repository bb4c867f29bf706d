package api

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/store"
)

// integerParam is the form of an integer query parameter; its range is checked after.
var integerParam = regexp.MustCompile(`^-?[0-9]+$`)

// searchArgs reads GET /products/search's parameters from fasthttp's query args (RULES.md §3). A
// parameter given more than once counts with its last value; c.Query cannot tell an empty value
// from an absent one, which the contract does.
type searchArgs struct {
	c   *fiber.Ctx
	err error // the first fault: 422
}

// last is a parameter's last value, and whether it was given.
func (a *searchArgs) last(name string) (string, bool) {
	values := a.c.Context().QueryArgs().PeekMulti(name)
	if len(values) == 0 {
		return "", false
	}
	return string(values[len(values)-1]), true
}

func (a *searchArgs) fail(format string, args ...any) {
	if a.err == nil {
		a.err = invalid(format, args...)
	}
}

// integer reads an optional integer in [low, high].
func (a *searchArgs) integer(name string, low, high int64) *int32 {
	value, given := a.last(name)
	if !given {
		return nil
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if !integerParam.MatchString(value) || err != nil || n < low || n > high {
		a.fail("%s must be an integer from %d to %d", name, low, high)
		return nil
	}
	v := int32(n)
	return &v
}

// text reads an optional string that PostgreSQL can hold; empty counts as absent.
func (a *searchArgs) text(name string, maxChars int) *string {
	value, given := a.last(name)
	if !given {
		return nil
	}
	if !utf8.ValidString(value) || strings.ContainsRune(value, 0) || utf8.RuneCountInString(value) > maxChars {
		a.fail("%s must be UTF-8 text of at most %d characters, without U+0000", name, maxChars)
		return nil
	}
	return &value
}

// searchParams is the checked search, with sort, limit and offset defaulted; min_price above
// max_price is no fault, it matches nothing.
func searchParams(c *fiber.Ctx) (store.SearchParams, error) {
	a := &searchArgs{c: c}
	p := store.SearchParams{
		Q:        a.text("q", 200),
		Brand:    a.text("brand", math.MaxInt),
		Category: a.integer("category", 1, math.MaxInt32),
		MinPrice: a.integer("min_price", 0, math.MaxInt32),
		MaxPrice: a.integer("max_price", 0, math.MaxInt32),
		Limit:    20,
	}
	if p.Q != nil && strings.Trim(*p.Q, " \t\r\n") == "" {
		p.Q = nil // blank: no text search
	}
	if p.Brand != nil && *p.Brand == "" {
		p.Brand = nil
	}
	if value, given := a.last("in_stock"); given {
		inStock, err := strconv.ParseBool(value)
		if err != nil || value != "true" && value != "false" {
			a.fail("in_stock must be true or false")
		}
		p.InStock = &inStock
	}
	p.Sort = "price_asc"
	if p.Q != nil {
		p.Sort = "relevance"
	}
	if value, given := a.last("sort"); given {
		switch value {
		case "relevance", "price_asc", "price_desc":
			p.Sort = value
		default:
			a.fail("sort must be relevance, price_asc or price_desc")
		}
	}
	if limit := a.integer("limit", 1, 100); limit != nil {
		p.Limit = *limit
	}
	if offset := a.integer("offset", 0, 10000); offset != nil {
		p.Offset = *offset
	}
	return p, a.err
}
