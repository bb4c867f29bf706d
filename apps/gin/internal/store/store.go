// Package store is the data layer: one pgx pool and the contract's SQL, written out
// (apps/contract/RULES.md). It knows nothing of HTTP; its errors say what went wrong and the
// web layer chooses the status.
package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The outcomes of the contract's steps that are not faults of the app.
var (
	ErrNotFound   = errors.New("not found")
	ErrCheckedOut = errors.New("the cart is already checked out")
	ErrLineLimit  = errors.New("a cart line holds at most 100 of a product")
	ErrEmptyCart  = errors.New("the cart is empty")
	ErrKeyReused  = errors.New("this Idempotency-Key was used for another cart")
	// ErrUnavailable is the database not answering.
	ErrUnavailable = errors.New("the database does not answer")
)

// OutOfStockError names every product whose cart line exceeds its stock, ascending.
type OutOfStockError struct {
	ProductIDs []int32
}

func (e *OutOfStockError) Error() string {
	return fmt.Sprintf("not enough stock for products %v", e.ProductIDs)
}

// Store runs the shop's queries on a connection pool.
type Store struct {
	pool    *pgxpool.Pool
	waiters *waiters
}

// Open makes a pool of at most maxConns connections. It connects lazily: the app starts while
// the database is still down.
func Open(ctx context.Context, databaseURL string, maxConns int32) (*Store, error) {
	config, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	config.MaxConns = maxConns
	config.MinConns = 0
	config.ConnConfig.ConnectTimeout = 5 * time.Second
	waiting := &waiters{}
	config.ConnConfig.Tracer = waiting
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("creating the pool: %w", err)
	}
	return &Store{pool: pool, waiters: waiting}, nil
}

// Close waits for connections in use to be released, then closes them all.
func (s *Store) Close() {
	s.pool.Close()
}

// Ping answers nil when the database answers SELECT 1 within 5 s.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var one int
	if err := s.pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// Unavailable tells whether err means the database cannot be reached (503), rather than a
// fault of the app (500): no connection, a connection lost, the server shutting down or full.
func Unavailable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, ErrUnavailable), errors.As(err, &connectErr), errors.As(err, &netErr), pgconn.Timeout(err):
		return true
	case errors.As(err, &pgErr):
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P0") || pgErr.Code == "53300"
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// uniqueViolation tells whether err is a unique violation of the named constraint.
func uniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}
