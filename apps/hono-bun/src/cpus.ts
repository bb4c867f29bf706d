/**
 * CPUs available to the container (RULES.md §7): the cgroup quota rounded up, capped by the CPUs
 * of the affinity mask, at least 1.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The cgroup CPU quota in CPUs (v2 `cpu.max`, else v1 `cfs_quota_us / cfs_period_us`), if set. */
function quota(): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.split(' ');
  if (v2 && v2[0] !== 'max') return Number(v2[0]) / Number(v2[1]);
  const v1 = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  if (v1 > 0) return v1 / Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return undefined;
}

export function cpusAvailable(): number {
  const affinity = availableParallelism();
  const limit = quota();
  return Math.max(1, limit ? Math.min(Math.ceil(limit), affinity) : affinity);
}
