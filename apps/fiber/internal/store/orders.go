package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Order is a confirmed checkout.
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

// TaxCents is 8.25 % of subtotal, rounded half up, in integer arithmetic.
func TaxCents(subtotalCents int64) int64 {
	return (subtotalCents*825 + 5000) / 10000
}

// createdAt prints orders.created_at as every app does: UTC, six fractional digits, Z.
const createdAt = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`

// GetOrder reads an order; ErrNotFound when there is none.
func (s *Store) GetOrder(ctx context.Context, id int64) (Order, error) {
	return s.loadOrder(ctx, "id = $1", id)
}

func (s *Store) loadOrder(ctx context.Context, where string, arg any) (Order, error) {
	var o Order
	err := s.pool.QueryRow(ctx, `
		SELECT id, cart_id, email, status, subtotal_cents, tax_cents, total_cents, `+createdAt+`
		FROM orders WHERE `+where, arg).
		Scan(&o.ID, &o.CartID, &o.Email, &o.Status, &o.SubtotalCents, &o.TaxCents, &o.TotalCents, &o.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, fmt.Errorf("order: %w", ErrNotFound)
	} else if err != nil {
		return Order{}, err
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity,
		       oi.unit_price_cents::bigint * oi.quantity AS line_total_cents
		FROM order_items oi JOIN products p ON p.id = oi.product_id
		WHERE oi.order_id = $1
		ORDER BY oi.product_id`, o.ID)
	o.Items, err = pgx.CollectRows(rows, pgx.RowToStructByName[Line])
	return o, err
}

// orderForKey is the order an earlier checkout with this key created: ErrNotFound when none
// did, ErrKeyReused when it was for another cart.
func (s *Store) orderForKey(ctx context.Context, key, cartID string) (Order, error) {
	order, err := s.loadOrder(ctx, "idempotency_key = $1", key)
	if err == nil && order.CartID != cartID {
		return Order{}, ErrKeyReused
	}
	return order, err
}

// Checkout turns a cart (id in lower case) into an order, RULES.md §5 steps 2 and 3. created is
// false when the order is an earlier one with the same Idempotency-Key (key nil: none sent).
func (s *Store) Checkout(ctx context.Context, cartID, email string, key *string) (order Order, created bool, err error) {
	if key != nil {
		if order, err := s.orderForKey(ctx, *key, cartID); !errors.Is(err, ErrNotFound) {
			return order, false, err
		}
	}
	order, err = s.placeOrder(ctx, cartID, email, key)
	if key != nil && (errors.Is(err, ErrCheckedOut) || uniqueViolation(err, "orders_idempotency_key_key")) {
		// A twin request with the same key may just have committed: answer its order.
		if earlier, lookupErr := s.orderForKey(ctx, *key, cartID); !errors.Is(lookupErr, ErrNotFound) {
			return earlier, false, lookupErr
		}
	}
	return order, err == nil, err
}

// lockedLine is a cart line whose product row this transaction has locked.
type lockedLine struct {
	Line
	Stock int32
}

// placeOrder is step 3 of RULES.md §5: one transaction.
func (s *Store) placeOrder(ctx context.Context, cartID, email string, key *string) (Order, error) {
	order := Order{CartID: cartID, Email: email}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var checkedOut bool
		err := tx.QueryRow(ctx, "SELECT checked_out_at IS NOT NULL FROM carts WHERE id = $1 FOR NO KEY UPDATE", cartID).Scan(&checkedOut)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("cart %s: %w", cartID, ErrNotFound)
		case err != nil:
			return err
		case checkedOut:
			return ErrCheckedOut
		}
		// One lock order for everyone (product_id): no deadlocks. NO KEY: add-to-cart's foreign
		// key checks are not blocked.
		rows, _ := tx.Query(ctx, `
			SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
			       p.price_cents::bigint * ci.quantity AS line_total_cents, p.stock
			FROM cart_items ci JOIN products p ON p.id = ci.product_id
			WHERE ci.cart_id = $1
			ORDER BY ci.product_id
			FOR NO KEY UPDATE OF p`, cartID)
		locked, err := pgx.CollectRows(rows, pgx.RowToStructByName[lockedLine])
		if err != nil {
			return err
		}
		if len(locked) == 0 {
			return ErrEmptyCart
		}
		var short []int32
		for _, line := range locked {
			if line.Quantity > line.Stock {
				short = append(short, line.ProductID)
			}
			order.Items = append(order.Items, line.Line)
		}
		if len(short) > 0 {
			return &OutOfStockError{ProductIDs: short}
		}
		order.SubtotalCents = subtotal(order.Items)
		order.TaxCents = TaxCents(order.SubtotalCents)
		order.TotalCents = order.SubtotalCents + order.TaxCents
		return insertOrder(ctx, tx, &order, key)
	})
	if err != nil {
		return Order{}, err
	}
	return order, nil
}

// insertOrder takes the stock, closes the cart and records the order at the prices just read.
func insertOrder(ctx context.Context, tx pgx.Tx, order *Order, key *string) error {
	if _, err := tx.Exec(ctx, `
		UPDATE products p SET stock = p.stock - ci.quantity
		FROM cart_items ci WHERE ci.cart_id = $1 AND p.id = ci.product_id`, order.CartID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE carts SET checked_out_at = now() WHERE id = $1", order.CartID); err != nil {
		return err
	}
	err := tx.QueryRow(ctx, `
		INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, status, `+createdAt,
		order.CartID, order.Email, key, order.SubtotalCents, order.TaxCents, order.TotalCents,
	).Scan(&order.ID, &order.Status, &order.CreatedAt)
	if err != nil {
		return err
	}
	productIDs, quantities, prices := make([]int32, 0, len(order.Items)), make([]int32, 0, len(order.Items)), make([]int32, 0, len(order.Items))
	for _, line := range order.Items {
		productIDs = append(productIDs, line.ProductID)
		quantities = append(quantities, line.Quantity)
		prices = append(prices, line.UnitPriceCents)
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
		SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
		order.ID, productIDs, quantities, prices)
	return err
}
