package store

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Stat is pgxpool's snapshot of the pool: connections acquired, idle, total, ...
func (s *Store) Stat() *pgxpool.Stat {
	return s.pool.Stat()
}

// Waiting is how many acquires have started and not yet got a connection (or given up). pgxpool
// reports no such figure, so acquireCounter keeps it.
func (s *Store) Waiting() int64 {
	return s.acquiring.Load()
}

// acquireCounter is a pgx tracer for its AcquireTracer half: pgxpool calls TraceAcquireStart as
// Acquire begins (every Query, QueryRow and Begin on the pool acquires) and TraceAcquireEnd once
// it returns. pgx takes it from ConnConfig.Tracer, whose type asks for the query hooks too; they
// do nothing.
type acquireCounter struct {
	atomic.Int64
}

func (a *acquireCounter) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	a.Add(1)
	return ctx
}

func (a *acquireCounter) TraceAcquireEnd(_ context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireEndData) {
	a.Add(-1)
}

func (*acquireCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (*acquireCounter) TraceQueryEnd(_ context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {}
