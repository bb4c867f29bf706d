package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Line is one product in a cart or an order.
type Line struct {
	ProductID      int32  `json:"product_id"`
	Name           string `json:"name"`
	UnitPriceCents int32  `json:"unit_price_cents"`
	Quantity       int32  `json:"quantity"`
	LineTotalCents int64  `json:"line_total_cents"`
}

// Cart is a cart priced at the products' current prices.
type Cart struct {
	ID            string `json:"id"`
	Items         []Line `json:"items"`
	SubtotalCents int64  `json:"subtotal_cents"`
}

// querier is what a pool and a transaction share.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func subtotal(lines []Line) int64 {
	var sum int64
	for _, line := range lines {
		sum += line.LineTotalCents
	}
	return sum
}

// loadCart reads the cart's lines, by product_id, at current prices.
func loadCart(ctx context.Context, q querier, id string) (Cart, error) {
	rows, _ := q.Query(ctx, `
		SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
		       p.price_cents::bigint * ci.quantity AS line_total_cents
		FROM cart_items ci JOIN products p ON p.id = ci.product_id
		WHERE ci.cart_id = $1
		ORDER BY ci.product_id`, id)
	lines, err := pgx.CollectRows(rows, pgx.RowToStructByName[Line])
	if err != nil {
		return Cart{}, err
	}
	return Cart{ID: id, Items: lines, SubtotalCents: subtotal(lines)}, nil
}

// CreateCart makes an empty cart.
func (s *Store) CreateCart(ctx context.Context) (Cart, error) {
	var id string
	if err := s.pool.QueryRow(ctx, "INSERT INTO carts DEFAULT VALUES RETURNING id").Scan(&id); err != nil {
		return Cart{}, err
	}
	return Cart{ID: id, Items: []Line{}}, nil
}

// GetCart reads a cart (id in lower case); ErrNotFound when there is none.
func (s *Store) GetCart(ctx context.Context, id string) (Cart, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM carts WHERE id = $1)", id).Scan(&exists); err != nil {
		return Cart{}, err
	}
	if !exists {
		return Cart{}, fmt.Errorf("cart %s: %w", id, ErrNotFound)
	}
	return loadCart(ctx, s.pool, id)
}

// AddItem adds quantity of a product to a cart (RULES.md §4) and answers the whole cart.
func (s *Store) AddItem(ctx context.Context, cartID string, productID, quantity int32) (Cart, error) {
	var cart Cart
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// FOR SHARE: a concurrent checkout (FOR NO KEY UPDATE) waits for this, or this for it.
		var checkedOut bool
		err := tx.QueryRow(ctx, "SELECT checked_out_at IS NOT NULL FROM carts WHERE id = $1 FOR SHARE", cartID).Scan(&checkedOut)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("cart %s: %w", cartID, ErrNotFound)
		case err != nil:
			return err
		case checkedOut:
			return ErrCheckedOut
		}
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM products WHERE id = $1)", productID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("product %d: %w", productID, ErrNotFound)
		}
		// Insert the line or increase it, unless that takes it above 100 (then no row comes back).
		var total int32
		err = tx.QueryRow(ctx, `
			INSERT INTO cart_items AS ci (cart_id, product_id, quantity) VALUES ($1, $2, $3)
			ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = ci.quantity + EXCLUDED.quantity
			WHERE ci.quantity + EXCLUDED.quantity <= 100
			RETURNING quantity`, cartID, productID, quantity).Scan(&total)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrLineLimit
		} else if err != nil {
			return err
		}
		cart, err = loadCart(ctx, tx, cartID)
		return err
	})
	return cart, err
}
