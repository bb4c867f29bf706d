"""Prometheus metrics (RULES.md §8) with prometheus-client in multiprocess mode.

gunicorn runs several worker processes, so every family lives in the per-process files
under PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes a fresh one per start), and a
scrape, whichever worker answers it, sums them all with a MultiProcessCollector. The
families are made without a registry for that reason: nothing reads a registry here.

Figures that only a worker can know about itself (its CPU time, resident memory, time in
the garbage collector, its pool) are copied into those files by `publish`: after a
request at most once a second, and by the worker that answers a scrape just before it
reads the files. The client's default process and GC collectors describe only the
process that answers the scrape, so they are not used.
"""

import gc
import threading
import time

from django.db import connections
from prometheus_client import Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.django import PrometheusDjangoView

from .errors import allow

# RULES.md §8's buckets, in seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival at Django to its response.",
    ["method", "route", "status"],
    buckets=BUCKETS,
    registry=None,
)
# Pool gauges are the live workers' figures summed; a dead worker's file is removed by
# gunicorn's child_exit hook.
POOL_IN_USE = Gauge(
    "db_pool_connections_in_use",
    "Connections lent to a request now.",
    multiprocess_mode="livesum",
    registry=None,
)
POOL_IDLE = Gauge(
    "db_pool_connections_idle",
    "Open connections waiting in the pool.",
    multiprocess_mode="livesum",
    registry=None,
)
POOL_WAITING = Gauge(
    "db_pool_requests_waiting",
    "Requests waiting for a connection now.",
    multiprocess_mode="livesum",
    registry=None,
)
CPU_SECONDS = Counter(
    "process_cpu_seconds",
    "User and system CPU time of the workers, summed.",
    registry=None,
)
RESIDENT_MEMORY = Gauge(
    "process_resident_memory_bytes",
    "Resident memory of the live workers, summed.",
    multiprocess_mode="livesum",
    registry=None,
)
GC_SECONDS = Counter(
    "python_gc_seconds",
    "Time the workers spent in the garbage collector, summed.",
    registry=None,
)

PUBLISH_EVERY_SECONDS = 1.0


class Worker:
    """This process's own figures, and what of them the shared files already hold."""

    def __init__(self) -> None:
        self.process = ProcessCollector(registry=None)  # reads /proc/self
        self.lock = threading.Lock()
        self.published_at = 0.0
        self.cpu_seconds = 0.0
        self.gc_seconds = 0.0
        self.gc_seconds_published = 0.0
        self.gc_started = 0.0
        gc.callbacks.append(self.time_gc)

    def time_gc(self, phase: str, info: dict) -> None:
        # Only a float changes here: the collector may run while a thread holds the
        # multiprocess files' lock, which is not reentrant.
        if phase == "start":
            self.gc_started = time.perf_counter()
        else:
            self.gc_seconds += time.perf_counter() - self.gc_started

    def publish(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.published_at < PUBLISH_EVERY_SECONDS:
            return
        if not self.lock.acquire(blocking=False):
            return  # another thread is publishing
        try:
            self.published_at = now
            self.publish_process()
            self.publish_pool()
        finally:
            self.lock.release()

    def publish_process(self) -> None:
        own = {
            sample.name: sample.value
            for family in self.process.collect()
            for sample in family.samples
        }
        cpu = own["process_cpu_seconds_total"]
        CPU_SECONDS.inc(cpu - self.cpu_seconds)
        self.cpu_seconds = cpu
        RESIDENT_MEMORY.set(own["process_resident_memory_bytes"])
        gc_seconds = self.gc_seconds
        GC_SECONDS.inc(gc_seconds - self.gc_seconds_published)
        self.gc_seconds_published = gc_seconds

    def publish_pool(self) -> None:
        """psycopg's pool (settings.py): its size counts lent and idle connections."""
        stats = connections["default"].pool.get_stats()
        idle = stats["pool_available"]
        POOL_IN_USE.set(stats["pool_size"] - idle)
        POOL_IDLE.set(idle)
        POOL_WAITING.set(stats["requests_waiting"])


worker = Worker()


def observe(method: str, route: str | None, status: int, seconds: float) -> None:
    # No route matched: "none" (an empty label value would read as no label at all).
    REQUEST_DURATION.labels(method, route or "none", str(status)).observe(seconds)
    worker.publish()


class MetricsView(PrometheusDjangoView):
    """prometheus-client's own Django view (multiprocess mode, content negotiation),
    after this worker has published its figures."""

    def get(self, request, *args, **kwargs):
        worker.publish(force=True)
        return super().get(request, *args, **kwargs)


metrics = allow("GET")(MetricsView.as_view())
