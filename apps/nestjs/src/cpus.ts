// How many CPUs this container may use (RULES.md §7): the affinity mask, capped by a cgroup quota
// rounded up, and at least 1.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The CPU quota in cores (cgroup v2 `cpu.max`, else v1 CFS quota / period); undefined if none. */
export function cgroupCpuQuota(): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) {
    const [quota, period] = v2.split(/\s+/);
    return quota === 'max' ? undefined : Number(quota) / Number(period);
  }
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0 ? quota / period : undefined;
}

export function availableCpus(): number {
  const affinity = availableParallelism(); // honours the affinity mask (--cpuset-cpus)
  const quota = cgroupCpuQuota(); // --cpus
  return Math.max(1, quota === undefined ? affinity : Math.min(affinity, Math.ceil(quota)));
}
