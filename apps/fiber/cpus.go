package main

import (
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// availableCPUs is RULES.md §7's count: the CPUs of the affinity mask (a --cpuset-cpus, which
// runtime.NumCPU honours), capped by the cgroup CPU quota (a --cpus) rounded up; at least 1.
// Go 1.24 does not read the quota itself (Go 1.25 does), so GOMAXPROCS is set from this.
func availableCPUs() int {
	cpus := runtime.NumCPU()
	if quota, ok := cgroupQuota(); ok {
		cpus = min(cpus, int(math.Ceil(quota)))
	}
	return max(cpus, 1)
}

// cgroupQuota is the CPU quota in cores: cgroup v2 cpu.max, else the v1 CFS files. ok is false
// when no quota is set.
func cgroupQuota() (cores float64, ok bool) {
	if v2, err := os.ReadFile("/sys/fs/cgroup/cpu.max"); err == nil {
		quota, period, _ := strings.Cut(strings.TrimSpace(string(v2)), " ")
		return ratio(quota, period) // "max": no quota
	}
	quota, err := os.ReadFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
	if err != nil {
		return 0, false
	}
	period, err := os.ReadFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us")
	if err != nil {
		return 0, false
	}
	return ratio(strings.TrimSpace(string(quota)), strings.TrimSpace(string(period))) // -1: no quota
}

func ratio(quota, period string) (float64, bool) {
	q, errQ := strconv.ParseFloat(quota, 64)
	p, errP := strconv.ParseFloat(period, 64)
	if errQ != nil || errP != nil || q <= 0 || p <= 0 {
		return 0, false
	}
	return q / p, true
}
