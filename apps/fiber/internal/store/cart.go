package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Line is a product in a cart or an order, with its price and the line's total.
type Line struct {
	ProductID      int32  `json:"product_id"`
	Name           string `json:"name"`
	UnitPriceCents int32  `json:"unit_price_cents"`
	Quantity       int32  `json:"quantity"`
	LineTotalCents int64  `json:"line_total_cents"`
}

// Cart is a cart at the products' prices of now.
type Cart struct {
	ID            string `json:"id"`
	Items         []Line `json:"items"`
	SubtotalCents int64  `json:"subtotal_cents"`
}

// scanLine reads a row of product_id, name, unit price, quantity, line total.
func scanLine(row pgx.CollectableRow) (Line, error) {
	var l Line
	err := row.Scan(&l.ProductID, &l.Name, &l.UnitPriceCents, &l.Quantity, &l.LineTotalCents)
	return l, err
}

func sumLines(lines []Line) (cents int64) {
	for _, l := range lines {
		cents += l.LineTotalCents
	}
	return cents
}

// cartLines reads a cart's lines by product_id, priced now, in the pool or in a transaction.
func cartLines(ctx context.Context, db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, cartID string) (Cart, error) {
	rows, _ := db.Query(ctx, `
		SELECT ci.product_id, p.name, p.price_cents, ci.quantity, p.price_cents::bigint * ci.quantity
		FROM cart_items ci JOIN products p ON p.id = ci.product_id
		WHERE ci.cart_id = $1
		ORDER BY ci.product_id`, cartID)
	lines, err := pgx.CollectRows(rows, scanLine)
	if err != nil {
		return Cart{}, err
	}
	return Cart{ID: cartID, Items: lines, SubtotalCents: sumLines(lines)}, nil
}

// CreateCart inserts an empty cart.
func (s *Store) CreateCart(ctx context.Context) (Cart, error) {
	cart := Cart{Items: []Line{}}
	err := s.pool.QueryRow(ctx, "INSERT INTO carts DEFAULT VALUES RETURNING id").Scan(&cart.ID)
	return cart, err
}

// GetCart reads a cart (its id in lower case), or ErrNotFound.
func (s *Store) GetCart(ctx context.Context, cartID string) (Cart, error) {
	var found bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM carts WHERE id = $1)", cartID).Scan(&found); err != nil {
		return Cart{}, err
	}
	if !found {
		return Cart{}, fmt.Errorf("cart %s: %w", cartID, ErrNotFound)
	}
	return cartLines(ctx, s.pool, cartID)
}

// AddItem puts quantity of a product in a cart, in one transaction (RULES.md §4), and answers
// the cart as it now is.
func (s *Store) AddItem(ctx context.Context, cartID string, productID, quantity int32) (cart Cart, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// FOR SHARE: a checkout of this cart (FOR NO KEY UPDATE) waits for us, or we for it.
		if err := lockCart(ctx, tx, cartID, "FOR SHARE"); err != nil {
			return err
		}
		var known bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM products WHERE id = $1)", productID).Scan(&known); err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("product %d: %w", productID, ErrNotFound)
		}
		// A new line, or more of one: no row comes back when that would pass 100.
		var total int32
		err := tx.QueryRow(ctx, `
			INSERT INTO cart_items AS ci (cart_id, product_id, quantity) VALUES ($1, $2, $3)
			ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = ci.quantity + EXCLUDED.quantity
			WHERE ci.quantity + EXCLUDED.quantity <= 100
			RETURNING quantity`, cartID, productID, quantity).Scan(&total)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrLineLimit
		}
		if err != nil {
			return err
		}
		cart, err = cartLines(ctx, tx, cartID)
		return err
	})
	return cart, err
}
