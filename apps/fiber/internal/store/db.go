// Package store runs the shop's SQL (apps/contract/RULES.md) on one pgx pool. It knows nothing
// of HTTP: its errors say what happened and the api package picks the status.
package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Outcomes of the contract's steps that are the client's to hear about, not faults.
var (
	ErrNotFound    = errors.New("not found")
	ErrCheckedOut  = errors.New("the cart is already checked out")
	ErrLineLimit   = errors.New("a cart line holds at most 100 of a product")
	ErrEmptyCart   = errors.New("the cart is empty")
	ErrKeyReused   = errors.New("this Idempotency-Key was used for another cart")
	ErrUnavailable = errors.New("the database does not answer")
)

// OutOfStockError lists, ascending, the products whose cart line is more than their stock.
type OutOfStockError struct {
	ProductIDs []int32
}

func (e *OutOfStockError) Error() string {
	return fmt.Sprintf("not enough stock for products %v", e.ProductIDs)
}

// Store is the pool and the count of acquires waiting on it.
type Store struct {
	pool      *pgxpool.Pool
	acquiring *acquireCounter
}

// Open configures a pool of at most maxConns connections without connecting: the app starts
// while the database is still down, and the first query connects.
func Open(ctx context.Context, databaseURL string, maxConns int32) (*Store, error) {
	config, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	s := &Store{acquiring: new(acquireCounter)}
	config.MaxConns, config.MinConns = maxConns, 0
	config.ConnConfig.ConnectTimeout = 5 * time.Second
	config.ConnConfig.Tracer = s.acquiring
	if s.pool, err = pgxpool.NewWithConfig(ctx, config); err != nil {
		return nil, fmt.Errorf("creating the pool: %w", err)
	}
	return s, nil
}

// Close returns once the connections lent out are back, and closes every connection.
func (s *Store) Close() {
	s.pool.Close()
}

// Ping is nil when SELECT 1 answers within 5 s.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := s.pool.Exec(ctx, "SELECT 1"); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// unavailableStates are the SQLSTATEs (or their classes) of a database that cannot serve now:
// connection exceptions, an operator or admin shutdown, a crash, too many connections.
var unavailableStates = []string{"08", "57P01", "57P02", "57P03", "53300"}

// Unavailable tells a database that cannot be reached (503) from a fault of the app (500).
func Unavailable(err error) bool {
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return true
	}
	var connect *pgconn.ConnectError
	var network net.Error
	if errors.As(err, &connect) || errors.As(err, &network) {
		return true
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	for _, state := range unavailableStates {
		if len(pgErr.Code) >= len(state) && pgErr.Code[:len(state)] == state {
			return true
		}
	}
	return false
}

// isUniqueViolation tells whether err broke the named unique constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

// lockCart locks the cart row with the given lock strength (FOR SHARE, FOR NO KEY UPDATE) and
// tells whether it may still change: ErrNotFound without it, ErrCheckedOut once ordered.
func lockCart(ctx context.Context, tx pgx.Tx, cartID, strength string) error {
	var checkedOut bool
	err := tx.QueryRow(ctx, "SELECT checked_out_at IS NOT NULL FROM carts WHERE id = $1 "+strength, cartID).Scan(&checkedOut)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("cart %s: %w", cartID, ErrNotFound)
	case err != nil:
		return err
	case checkedOut:
		return ErrCheckedOut
	}
	return nil
}
