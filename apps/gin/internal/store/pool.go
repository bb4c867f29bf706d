package store

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PoolStats is what the pool holds now, for /metrics.
type PoolStats struct {
	InUse   int32 // connections lent out
	Idle    int32 // open connections not lent out
	Waiting int64 // acquires not yet answered: waiting for a free or a new connection
}

// Stats reads the pool's figures. pgxpool has no count of the acquires waiting now, so the pool
// counts them itself with pgx's AcquireTracer (see waiters).
func (s *Store) Stats() PoolStats {
	stat := s.pool.Stat()
	return PoolStats{InUse: stat.AcquiredConns(), Idle: stat.IdleConns(), Waiting: s.waiters.n.Load()}
}

// waiters counts the calls into pgxpool's Acquire that have not returned: pgxpool calls
// TraceAcquireStart when an acquire begins and TraceAcquireEnd when it has a connection or gave
// up. pgx finds an AcquireTracer among the connection config's Tracer, which must also be a
// QueryTracer; queries are not traced.
type waiters struct {
	n atomic.Int64
}

func (w *waiters) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	w.n.Add(1)
	return ctx
}

func (w *waiters) TraceAcquireEnd(context.Context, *pgxpool.Pool, pgxpool.TraceAcquireEndData) {
	w.n.Add(-1)
}

func (*waiters) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (*waiters) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
