"""The app: routers, the pool's lifespan, the access log and the contract's error handlers."""

import logging.config
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from . import carts, errors, health, metrics, orders, products
from .access_log import LOGGING, AccessLogMiddleware
from .db import create_pool

logging.config.dictConfig(LOGGING)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await create_pool()
    yield
    await app.state.pool.close()


app = FastAPI(title="bakeoff shop", lifespan=lifespan, redirect_slashes=False, openapi_url=None)
errors.install(app)
app.add_middleware(AccessLogMiddleware)
for module in (health, metrics, products, carts, orders):
    app.include_router(module.router)
