"""The asyncpg pool: one per worker process, opened lazily, sized by DB_POOL_SIZE."""

import os
from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Request


async def create_pool() -> asyncpg.Pool:
    # min_size=0: connections open on first use, so the app starts while the database is down.
    return await asyncpg.create_pool(
        os.environ["DATABASE_URL"],
        min_size=0,
        max_size=int(os.environ.get("DB_POOL_SIZE", "10")),
        timeout=5,
    )


async def connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    async with request.app.state.pool.acquire() as conn:
        yield conn


Connection = Annotated[asyncpg.Connection, Depends(connection)]
