package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Product is GET /products/{id}.
type Product struct {
	ID          int32  `json:"id"`
	SKU         string `json:"sku"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Brand       string `json:"brand"`
	CategoryID  int32  `json:"category_id"`
	PriceCents  int32  `json:"price_cents"`
	Stock       int32  `json:"stock"`
	InStock     bool   `json:"in_stock"`
}

// Hit is one product in a page of search results.
type Hit struct {
	ID         int32  `json:"id"`
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	Brand      string `json:"brand"`
	CategoryID int32  `json:"category_id"`
	PriceCents int32  `json:"price_cents"`
	InStock    bool   `json:"in_stock"`
}

// SearchParams is a checked search; a nil filter is absent. Sort is the effective one.
type SearchParams struct {
	Q, Brand                     *string
	Category, MinPrice, MaxPrice *int32
	InStock                      *bool
	Sort                         string // relevance, price_asc or price_desc
	Limit, Offset                int32
}

// countCap is the most matches a search counts (RULES.md §3); past it the total is not exact.
const countCap = 1000

// SearchPage is a page of hits and how many there are, counted up to countCap.
type SearchPage struct {
	Total      int64 `json:"total"`
	TotalExact bool  `json:"total_exact"`
	Limit      int32 `json:"limit"`
	Offset     int32 `json:"offset"`
	Items      []Hit `json:"items"`
}

// GetProduct reads a product, or ErrNotFound.
func (s *Store) GetProduct(ctx context.Context, id int32) (Product, error) {
	var p Product
	err := s.pool.QueryRow(ctx, `
		SELECT id, sku, name, description, brand, category_id, price_cents, stock, stock > 0
		FROM products WHERE id = $1`, id).
		Scan(&p.ID, &p.SKU, &p.Name, &p.Description, &p.Brand, &p.CategoryID, &p.PriceCents, &p.Stock, &p.InStock)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("product %d: %w", id, ErrNotFound)
	}
	return p, err
}

// Search counts the matches (up to one past countCap), then reads the page: RULES.md §3's
// rows and order, with only the filters given in the statement.
func (s *Store) Search(ctx context.Context, p SearchParams) (SearchPage, error) {
	filter := newFilter(p)
	var matches int64
	if err := s.pool.QueryRow(ctx, filter.countSQL(), filter.args...).Scan(&matches); err != nil {
		return SearchPage{}, err
	}
	rows, _ := s.pool.Query(ctx, filter.pageSQL(p), append(filter.args, p.Limit, p.Offset)...)
	hits, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Hit, error) {
		var h Hit
		err := row.Scan(&h.ID, &h.SKU, &h.Name, &h.Brand, &h.CategoryID, &h.PriceCents, &h.InStock)
		return h, err
	})
	if err != nil {
		return SearchPage{}, err
	}
	return SearchPage{
		Total: min(matches, countCap), TotalExact: matches <= countCap,
		Limit: p.Limit, Offset: p.Offset, Items: hits,
	}, nil
}

// filter is a search's WHERE clause, the CTE it needs and their arguments ($1, $2, ...).
type filter struct {
	with       string
	conditions []string
	args       []any
}

// param adds an argument and answers its placeholder.
func (f *filter) param(value any) string {
	f.args = append(f.args, value)
	return "$" + strconv.Itoa(len(f.args))
}

func newFilter(p SearchParams) *filter {
	f := &filter{conditions: []string{"TRUE"}}
	if p.Q != nil { // always $1, which the relevance order names
		f.conditions = append(f.conditions, "search_vector @@ websearch_to_tsquery('english', "+f.param(*p.Q)+")")
	}
	if p.Category != nil {
		f.with = "WITH RECURSIVE subtree(id) AS (\n    SELECT id FROM categories WHERE id = " + f.param(*p.Category) +
			"\n    UNION\n    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id\n)\n"
		f.conditions = append(f.conditions, "category_id IN (SELECT id FROM subtree)")
	}
	if p.Brand != nil {
		f.conditions = append(f.conditions, "brand = "+f.param(*p.Brand))
	}
	if p.MinPrice != nil {
		f.conditions = append(f.conditions, "price_cents >= "+f.param(*p.MinPrice))
	}
	if p.MaxPrice != nil {
		f.conditions = append(f.conditions, "price_cents <= "+f.param(*p.MaxPrice))
	}
	if p.InStock != nil {
		f.conditions = append(f.conditions, "(stock > 0) = "+f.param(*p.InStock))
	}
	return f
}

func (f *filter) where() string {
	return " FROM products WHERE " + strings.Join(f.conditions, " AND ")
}

func (f *filter) countSQL() string {
	return f.with + "SELECT count(*) FROM (SELECT 1" + f.where() + " LIMIT " + strconv.Itoa(countCap+1) + ") AS m"
}

// pageSQL orders the page and takes limit and offset as the two parameters after the filter's.
func (f *filter) pageSQL(p SearchParams) string {
	order := "id" // relevance without q: every rank is NULL
	switch {
	case p.Sort == "price_asc":
		order = "price_cents, id"
	case p.Sort == "price_desc":
		order = "price_cents DESC, id"
	case p.Q != nil:
		order = "ts_rank_cd(search_vector, websearch_to_tsquery('english', $1)) DESC, id"
	}
	n := len(f.args)
	return f.with + "SELECT id, sku, name, brand, category_id, price_cents, stock > 0" + f.where() +
		" ORDER BY " + order + " LIMIT $" + strconv.Itoa(n+1) + " OFFSET $" + strconv.Itoa(n+2)
}
