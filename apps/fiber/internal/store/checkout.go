package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Order is a cart checked out.
type Order struct {
	ID            int64  `json:"id"`
	CartID        string `json:"cart_id"`
	Email         string `json:"email"`
	Status        string `json:"status"`
	Items         []Line `json:"items"`
	SubtotalCents int64  `json:"subtotal_cents"`
	TaxCents      int64  `json:"tax_cents"`
	TotalCents    int64  `json:"total_cents"`
	CreatedAt     string `json:"created_at"`
}

// TaxCents is 8.25 % of a subtotal rounded half up, in integers: (s × 825 + 5000) / 10000.
func TaxCents(subtotalCents int64) int64 {
	return (subtotalCents*825 + 5000) / 10000
}

// orderColumns are an order's columns, created_at in UTC with six fractional digits and a Z.
const orderColumns = `id, cart_id, email, status, subtotal_cents, tax_cents, total_cents,
	to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

// GetOrder reads an order and its lines, or ErrNotFound.
func (s *Store) GetOrder(ctx context.Context, id int64) (Order, error) {
	return s.readOrder(ctx, "SELECT "+orderColumns+" FROM orders WHERE id = $1", id)
}

// readOrder reads the order one statement selects (orderColumns), then its lines.
func (s *Store) readOrder(ctx context.Context, query string, arg any) (Order, error) {
	var o Order
	err := s.pool.QueryRow(ctx, query, arg).
		Scan(&o.ID, &o.CartID, &o.Email, &o.Status, &o.SubtotalCents, &o.TaxCents, &o.TotalCents, &o.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, fmt.Errorf("order: %w", ErrNotFound)
	}
	if err != nil {
		return o, err
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity, oi.unit_price_cents::bigint * oi.quantity
		FROM order_items oi JOIN products p ON p.id = oi.product_id
		WHERE oi.order_id = $1
		ORDER BY oi.product_id`, o.ID)
	o.Items, err = pgx.CollectRows(rows, scanLine)
	return o, err
}

// earlierOrder is the order a checkout with this Idempotency-Key made: ErrNotFound if none did,
// ErrKeyReused if it was another cart's.
func (s *Store) earlierOrder(ctx context.Context, key, cartID string) (Order, error) {
	o, err := s.readOrder(ctx, "SELECT "+orderColumns+" FROM orders WHERE idempotency_key = $1", key)
	if err == nil && o.CartID != cartID {
		return Order{}, ErrKeyReused
	}
	return o, err
}

// Checkout orders a cart (id in lower case): RULES.md §5 steps 2 and 3. created is false when
// the answer is the order an earlier checkout with the same key made (key nil: none was sent).
func (s *Store) Checkout(ctx context.Context, cartID, email string, key *string) (Order, bool, error) {
	if key != nil {
		if o, err := s.earlierOrder(ctx, *key, cartID); !errors.Is(err, ErrNotFound) {
			return o, false, err
		}
	}
	o, err := s.placeOrder(ctx, cartID, email, key)
	if err != nil && key != nil && (errors.Is(err, ErrCheckedOut) || isUniqueViolation(err, "orders_idempotency_key_key")) {
		// A concurrent twin with the same key may have committed first: its order is the answer.
		if twin, twinErr := s.earlierOrder(ctx, *key, cartID); !errors.Is(twinErr, ErrNotFound) {
			return twin, false, twinErr
		}
	}
	return o, err == nil, err
}

// placeOrder is RULES.md §5 step 3, one transaction: lock the cart, then the lines' products
// in product_id order (one order for all: no deadlock; NO KEY, so that add-to-cart's foreign key
// checks go on), check the stock, take it, close the cart, write the order at the prices read.
func (s *Store) placeOrder(ctx context.Context, cartID, email string, key *string) (Order, error) {
	o := Order{CartID: cartID, Email: email}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockCart(ctx, tx, cartID, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `
			SELECT ci.product_id, p.name, p.price_cents, ci.quantity, p.price_cents::bigint * ci.quantity, p.stock
			FROM cart_items ci JOIN products p ON p.id = ci.product_id
			WHERE ci.cart_id = $1
			ORDER BY ci.product_id
			FOR NO KEY UPDATE OF p`, cartID)
		var stock []int32
		lines, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Line, error) {
			var l Line
			var inStock int32
			err := row.Scan(&l.ProductID, &l.Name, &l.UnitPriceCents, &l.Quantity, &l.LineTotalCents, &inStock)
			stock = append(stock, inStock)
			return l, err
		})
		if err != nil {
			return err
		}
		if len(lines) == 0 {
			return ErrEmptyCart
		}
		short := &OutOfStockError{}
		for i, l := range lines {
			if l.Quantity > stock[i] {
				short.ProductIDs = append(short.ProductIDs, l.ProductID)
			}
		}
		if len(short.ProductIDs) > 0 {
			return short
		}
		o.Items = lines
		o.SubtotalCents = sumLines(lines)
		o.TaxCents = TaxCents(o.SubtotalCents)
		o.TotalCents = o.SubtotalCents + o.TaxCents
		return writeOrder(ctx, tx, &o, key)
	})
	if err != nil {
		return Order{}, err
	}
	return o, nil
}

// writeOrder takes the stock, marks the cart checked out and inserts the order and its lines.
func writeOrder(ctx context.Context, tx pgx.Tx, o *Order, key *string) error {
	if _, err := tx.Exec(ctx, `
		UPDATE products p SET stock = p.stock - ci.quantity
		FROM cart_items ci WHERE ci.cart_id = $1 AND p.id = ci.product_id`, o.CartID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE carts SET checked_out_at = now() WHERE id = $1", o.CartID); err != nil {
		return err
	}
	err := tx.QueryRow(ctx, `
		INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
		o.CartID, o.Email, key, o.SubtotalCents, o.TaxCents, o.TotalCents,
	).Scan(&o.ID, &o.Status, &o.CreatedAt)
	if err != nil {
		return err
	}
	products := make([]int32, len(o.Items))
	quantities := make([]int32, len(o.Items))
	prices := make([]int32, len(o.Items))
	for i, l := range o.Items {
		products[i], quantities[i], prices[i] = l.ProductID, l.Quantity, l.UnitPriceCents
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
		SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
		o.ID, products, quantities, prices)
	return err
}
