package main

import (
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// availableCPUs counts CPUs as RULES.md §7 does: the affinity mask (runtime.NumCPU honours a
// --cpuset-cpus), capped by a cgroup CPU quota (a --cpus) rounded up, and at least 1. Go 1.24
// reads no quota itself, so main sets GOMAXPROCS from this.
func availableCPUs() int {
	n := runtime.NumCPU()
	if cores := quotaCores(); cores > 0 {
		n = min(n, int(math.Ceil(cores)))
	}
	return max(n, 1)
}

// quotaCores is the quota in cores, 0 without one: cgroup v2's cpu.max ("max 100000" or
// "150000 100000"), else v1's cpu.cfs_quota_us (-1 without one) over cpu.cfs_period_us.
func quotaCores() float64 {
	if line, ok := readTrimmed("/sys/fs/cgroup/cpu.max"); ok {
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return 0
		}
		return divide(fields[0], fields[1])
	}
	quota, okQuota := readTrimmed("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
	period, okPeriod := readTrimmed("/sys/fs/cgroup/cpu/cpu.cfs_period_us")
	if !okQuota || !okPeriod {
		return 0
	}
	return divide(quota, period)
}

func readTrimmed(path string) (string, bool) {
	data, err := os.ReadFile(path)
	return strings.TrimSpace(string(data)), err == nil
}

// divide is quota/period, or 0 unless both are positive numbers.
func divide(quota, period string) float64 {
	q, err1 := strconv.ParseFloat(quota, 64)
	p, err2 := strconv.ParseFloat(period, 64)
	if err1 != nil || err2 != nil || q <= 0 || p <= 0 {
		return 0
	}
	return q / p
}
