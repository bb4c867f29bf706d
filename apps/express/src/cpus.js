// How many CPUs this container may use (RULES.md §7): the affinity mask, capped by a cgroup quota.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const read = (path) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The CPU quota in cores (cgroup v2 cpu.max, else v1 cfs quota/period), or undefined if unlimited. */
export function cgroupCpuLimit() {
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) {
    const [quota, period] = v2.split(/\s+/);
    return quota === 'max' ? undefined : Number(quota) / Number(period);
  }
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0 ? quota / period : undefined;
}

export function availableCpus() {
  const cpus = availableParallelism(); // honours the affinity mask (a --cpuset-cpus)
  const limit = cgroupCpuLimit(); // a --cpus quota
  return Math.max(1, limit === undefined ? cpus : Math.min(cpus, Math.ceil(limit)));
}
