"""Gunicorn settings (RULES.md §7): Uvicorn workers, one per CPU this container may use."""

import math
import os
import shutil
import tempfile
from pathlib import Path

# prometheus-client's multiprocess mode (app/metrics.py): each worker writes its samples under this directory and a
# scrape sums them all. A fresh one per start, so no earlier run's files are summed in. Set before anything imports
# prometheus_client (it chooses its storage at import), which is why the hooks below import it late.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-")


def cgroup_cpu_limit() -> float | None:
    """The CPU quota in cores (cgroup v2 cpu.max, else v1 cfs quota/period), or None if unlimited."""
    v2 = Path("/sys/fs/cgroup/cpu.max")
    if v2.exists():
        quota, period = v2.read_text().split()
        return None if quota == "max" else int(quota) / int(period)
    v1 = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
    if v1.exists():
        quota = int(v1.read_text())
        period = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text())
        return None if quota <= 0 else quota / period
    return None


def available_cpus() -> int:
    cpus = os.process_cpu_count() or 1  # the affinity mask (a --cpuset-cpus)
    limit = cgroup_cpu_limit()  # a --cpus quota
    if limit is not None:
        cpus = min(cpus, math.ceil(limit))
    return max(cpus, 1)


wsgi_app = "app.main:app"
bind = f"0.0.0.0:{os.environ.get('PORT', '8080')}"
workers = int(os.environ.get("WORKERS") or available_cpus())
worker_class = "uvicorn_worker.UvicornWorker"
graceful_timeout = 8  # SIGTERM: in-flight requests get this long, then workers stop
errorlog = "-"
accesslog = None  # gunicorn's and Uvicorn's access logs stay off: the app writes RULES.md §8's (app/access_log.py)


def child_exit(server, worker) -> None:
    """Drops a dead worker's live gauges (pool, memory) from the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
