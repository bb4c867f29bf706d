"""The app: routers, the pool's lifespan, and the contract's error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from . import carts, errors, health, orders, products
from .db import create_pool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await create_pool()
    yield
    await app.state.pool.close()


app = FastAPI(title="bakeoff shop", lifespan=lifespan, redirect_slashes=False, openapi_url=None)
errors.install(app)
for module in (health, products, carts, orders):
    app.include_router(module.router)
