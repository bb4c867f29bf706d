package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Product is one row of the catalogue (GET /products/{id}).
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

// ProductSummary is one search hit.
type ProductSummary struct {
	ID         int32  `json:"id"`
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	Brand      string `json:"brand"`
	CategoryID int32  `json:"category_id"`
	PriceCents int32  `json:"price_cents"`
	InStock    bool   `json:"in_stock"`
}

// SearchParams are the checked search parameters; nil means absent.
type SearchParams struct {
	Q        *string
	Category *int32
	Brand    *string
	MinPrice *int32
	MaxPrice *int32
	InStock  *bool
	Sort     string // relevance, price_asc or price_desc: the effective sort
	Limit    int32
	Offset   int32
}

// totalBound is the most matches a search counts: beyond it, the total is the bound and not exact
// (RULES.md §3).
const totalBound = 1000

// SearchPage is one page of hits and the count of the hits, up to totalBound.
type SearchPage struct {
	Total      int64            `json:"total"`
	TotalExact bool             `json:"total_exact"`
	Limit      int32            `json:"limit"`
	Offset     int32            `json:"offset"`
	Items      []ProductSummary `json:"items"`
}

// GetProduct reads one product; ErrNotFound when there is none.
func (s *Store) GetProduct(ctx context.Context, id int32) (Product, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT id, sku, name, description, brand, category_id, price_cents, stock, stock > 0 AS in_stock
		FROM products WHERE id = $1`, id)
	product, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Product])
	if errors.Is(err, pgx.ErrNoRows) {
		return Product{}, fmt.Errorf("product %d: %w", id, ErrNotFound)
	}
	return product, err
}

// Search runs RULES.md §3's search. The statement holds only the filters given, which a planner
// prefers to the canonical catch-all form; rows and order are the canonical SQL's.
func (s *Store) Search(ctx context.Context, p SearchParams) (SearchPage, error) {
	query := searchQuery(p)
	page := SearchPage{Limit: p.Limit, Offset: p.Offset}
	var matches int64
	if err := s.pool.QueryRow(ctx, query.count, query.args...).Scan(&matches); err != nil {
		return SearchPage{}, err
	}
	page.Total, page.TotalExact = min(matches, totalBound), matches <= totalBound
	args := append(query.args, p.Limit, p.Offset)
	rows, _ := s.pool.Query(ctx, query.page, args...)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByName[ProductSummary])
	if err != nil {
		return SearchPage{}, err
	}
	page.Items = items
	return page, nil
}

// searchSQL is a search as two statements sharing their filter arguments: the page, which takes
// two more (limit and offset), and the count of the matches up to one past totalBound.
type searchSQL struct {
	page, count string
	args        []any
}

// subtree is the CTE of the category whose id is the given parameter and all its descendants.
func subtree(param string) string {
	return `WITH RECURSIVE subtree(id) AS (
    SELECT id FROM categories WHERE id = ` + param + `
    UNION
    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
)
`
}

var orderBy = map[string]string{
	// q is always $1 when present.
	"relevance":  "ts_rank_cd(search_vector, websearch_to_tsquery('english', $1)) DESC, id",
	"price_asc":  "price_cents, id",
	"price_desc": "price_cents DESC, id",
}

func searchQuery(p SearchParams) searchSQL {
	var args []any
	arg := func(value any) string {
		args = append(args, value)
		return "$" + strconv.Itoa(len(args))
	}
	with := ""
	where := []string{"TRUE"}
	if p.Q != nil {
		where = append(where, "search_vector @@ websearch_to_tsquery('english', "+arg(*p.Q)+")")
	}
	if p.Category != nil {
		with = subtree(arg(*p.Category))
		where = append(where, "category_id IN (SELECT id FROM subtree)")
	}
	if p.Brand != nil {
		where = append(where, "brand = "+arg(*p.Brand))
	}
	if p.MinPrice != nil {
		where = append(where, "price_cents >= "+arg(*p.MinPrice))
	}
	if p.MaxPrice != nil {
		where = append(where, "price_cents <= "+arg(*p.MaxPrice))
	}
	if p.InStock != nil {
		where = append(where, "(stock > 0) = "+arg(*p.InStock))
	}
	filter := strings.Join(where, " AND ")
	order := orderBy[p.Sort]
	if p.Sort == "relevance" && p.Q == nil {
		order = "id" // every rank is NULL
	}
	n := len(args)
	return searchSQL{
		count: with + "SELECT count(*) FROM (SELECT 1 FROM products WHERE " + filter +
			" LIMIT " + strconv.Itoa(totalBound+1) + ") AS m",
		page: with + "SELECT id, sku, name, brand, category_id, price_cents, stock > 0 AS in_stock FROM products WHERE " +
			filter + " ORDER BY " + order + " LIMIT $" + strconv.Itoa(n+1) + " OFFSET $" + strconv.Itoa(n+2),
		args: args,
	}
}
