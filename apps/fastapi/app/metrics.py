"""GET /metrics and the families behind it (RULES.md §8): prometheus-client in multiprocess mode.

Each Uvicorn worker writes its samples to files under PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes a fresh one per
start); a scrape, whichever worker answers it, sums every worker's files through a MultiProcessCollector. So the
families are made without a registry, and the client's default process and GC collectors, which describe only the
process answering the scrape, are not exposed.

A worker's own figures (CPU time, resident memory, time in the garbage collector, its asyncpg pool) reach the files
through `Worker.publish`: after a request at most once a second, and in the worker that answers a scrape just before
the files are read.
"""

import gc
import time

import asyncpg
from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.concurrency import run_in_threadpool

REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival at the app to its response.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=None,
)
# "livesum": the live workers' figures added up (gunicorn's child_exit hook removes a dead worker's).
POOL_IN_USE = Gauge(
    "db_pool_connections_in_use", "Connections lent out now.", multiprocess_mode="livesum", registry=None
)
POOL_IDLE = Gauge(
    "db_pool_connections_idle", "Open connections not lent out.", multiprocess_mode="livesum", registry=None
)
POOL_WAITING = Gauge(
    "db_pool_requests_waiting", "Requests waiting for a connection now.", multiprocess_mode="livesum", registry=None
)
CPU_SECONDS = Counter("process_cpu_seconds", "User and system CPU time of the workers.", registry=None)
RESIDENT_MEMORY = Gauge(
    "process_resident_memory_bytes", "Resident memory of the live workers.", multiprocess_mode="livesum", registry=None
)
GC_SECONDS = Counter("python_gc_seconds", "Time the workers spent collecting garbage.", registry=None)


class Worker:
    """This process's own figures, copied into the shared files now and then."""

    def __init__(self) -> None:
        self.own = ProcessCollector(registry=None)  # /proc/self
        self.published_at = 0.0
        self.cpu_seconds = 0.0
        self.gc_seconds = 0.0
        self.gc_published = 0.0
        self.gc_started = 0.0
        self.waiting = 0  # requests in Pool.acquire (db.connection)
        gc.callbacks.append(self.time_gc)

    def time_gc(self, phase: str, info: dict) -> None:
        # No metric is touched here: a collection may start while the files' (not reentrant) lock is held.
        if phase == "start":
            self.gc_started = time.perf_counter()
        else:
            self.gc_seconds += time.perf_counter() - self.gc_started

    def publish(self, pool: asyncpg.Pool | None, every_seconds: float = 1.0) -> None:
        now = time.monotonic()
        if now - self.published_at < every_seconds:
            return
        self.published_at = now
        own = {sample.name: sample.value for family in self.own.collect() for sample in family.samples}
        CPU_SECONDS.inc(own["process_cpu_seconds_total"] - self.cpu_seconds)
        self.cpu_seconds = own["process_cpu_seconds_total"]
        RESIDENT_MEMORY.set(own["process_resident_memory_bytes"])
        gc_seconds = self.gc_seconds
        GC_SECONDS.inc(gc_seconds - self.gc_published)
        self.gc_published = gc_seconds
        if pool is not None:
            idle = pool.get_idle_size()
            POOL_IN_USE.set(pool.get_size() - idle)
            POOL_IDLE.set(idle)
        POOL_WAITING.set(self.waiting)


worker = Worker()

registry = CollectorRegistry()
MultiProcessCollector(registry)

router = APIRouter()


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    worker.publish(request.app.state.pool, every_seconds=0)
    encode, content_type = choose_encoder(request.headers.get("accept"))
    body = await run_in_threadpool(encode, registry)  # reads every worker's files
    return Response(body, media_type=content_type)
