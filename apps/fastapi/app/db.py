"""The asyncpg pool: one per worker process, opened lazily, sized by DB_POOL_SIZE."""

import os
from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from .metrics import worker


async def create_pool() -> asyncpg.Pool:
    # min_size=0: connections open on first use, so the app starts while the database is down.
    return await asyncpg.create_pool(
        os.environ["DATABASE_URL"],
        min_size=0,
        max_size=int(os.environ.get("DB_POOL_SIZE", "10")),
        timeout=5,
    )


async def connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """A connection from the pool for one request. Waits in acquire() are counted for /metrics: asyncpg's pool
    reports its size and idle connections, not its queue."""
    pool = request.app.state.pool
    worker.waiting += 1
    try:
        conn = await pool.acquire()
    finally:
        worker.waiting -= 1
    try:
        yield conn
    finally:
        await pool.release(conn)


Connection = Annotated[asyncpg.Connection, Depends(connection)]
