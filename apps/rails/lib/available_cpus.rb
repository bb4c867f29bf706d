require "etc"

# How many CPUs this container may use (RULES.md §7): the affinity mask (`--cpuset-cpus`), capped
# by a cgroup CPU quota (`--cpus`) rounded up; at least 1. config/puma.rb sizes its workers by it.
module AvailableCpus
  module_function

  def count
    quota = cgroup_quota
    cpus = Etc.nprocessors # sched_getaffinity(2) on Linux, so it honours the affinity mask
    cpus = [ cpus, quota.ceil ].min if quota
    [ cpus, 1 ].max
  end

  # The quota in CPUs (cgroup v2 `cpu.max`, else v1 `cfs_quota_us / cfs_period_us`), or nil.
  def cgroup_quota
    if (v2 = read("/sys/fs/cgroup/cpu.max"))
      quota, period = v2.split
      return quota == "max" ? nil : quota.to_f / period.to_f
    end
    quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").to_i
    period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us").to_i
    quota.positive? && period.positive? ? quota.to_f / period : nil
  end

  def read(path)
    File.read(path).strip
  rescue SystemCallError
    nil
  end
end
