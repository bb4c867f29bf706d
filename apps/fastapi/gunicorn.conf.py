"""Gunicorn settings (RULES.md §7): Uvicorn workers, one per CPU this container may use."""

import math
import os
from pathlib import Path


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
