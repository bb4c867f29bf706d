"""Gunicorn settings (RULES.md §7). The README's "Workers" says why gthread and why
these counts: one process per CPU the container may use, each with DB_POOL_SIZE threads
and a connection pool as large. Django's ORM is synchronous, so a request holds its
thread, and the thread's connection, while it waits on PostgreSQL.
"""

import math
import os
import shutil
import tempfile
from pathlib import Path

# prometheus-client's multiprocess mode (shop/metrics.py): every worker writes its
# figures to files here, and a scrape sums them. A fresh directory per start, or the
# files of an earlier run would be summed in. It must be set before anything imports
# prometheus_client, which picks its storage at import: the hooks below import it late.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-")


def cgroup_cpu_quota() -> float | None:
    """The CPU quota in cores (cgroup v2's cpu.max, else v1's CFS files), or None."""
    v2 = Path("/sys/fs/cgroup/cpu.max")
    if v2.exists():
        quota, period = v2.read_text().split()
        return None if quota == "max" else int(quota) / int(period)
    v1 = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
    if v1.exists():
        quota = int(v1.read_text())
        return (
            None
            if quota <= 0
            else quota / int(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text())
        )
    return None


def cpus_available() -> int:
    """The CPUs of the affinity mask (a cpuset), capped by the quota rounded up."""
    cpus = os.process_cpu_count() or 1
    quota = cgroup_cpu_quota()
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(cpus, 1)


wsgi_app = "bakeoff.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT') or 8080}"
worker_class = "gthread"
workers = int(os.environ.get("WORKERS") or cpus_available())
threads = int(
    os.environ.get("DB_POOL_SIZE") or 10
)  # one connection per thread (settings.py)
graceful_timeout = (
    8  # SIGTERM: requests in flight get this long; the container stops within 10 s
)
errorlog = "-"
# gunicorn's own access log stays off: the app writes RULES.md §8's (shop.middleware).
accesslog = None
control_socket_disable = True  # no runtime control (gunicornc) in a container


def worker_exit(server, worker) -> None:
    """Close this worker's connection pool once it has finished its requests."""
    from django.db import connections

    connections["default"].close_pool()


def child_exit(server, worker) -> None:
    """Drops a dead worker's live gauges (its pool, its memory) from the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
