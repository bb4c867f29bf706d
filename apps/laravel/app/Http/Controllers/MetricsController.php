<?php

namespace App\Http\Controllers;

use App\Metrics\Exposition;
use App\Metrics\Registry;
use Illuminate\Http\Response;

/**
 * GET /metrics: the whole app's figures in the Prometheus text format
 * (RULES.md §8). Request durations and GC time come from the APCu registry
 * every child writes to; the pool, CPU and memory are read now, from PHP-FPM's
 * own scoreboard (fpm_get_status()) and /proc.
 *
 * PHP has no connection pool: each child holds one persistent connection once
 * it has run a query. A busy child holding one is a connection in use, an idle
 * child holding one an idle connection; a request waits for a child, not for a
 * connection, so "waiting" is FPM's listen queue.
 */
class MetricsController extends Controller
{
    public function __invoke(Registry $registry): Response
    {
        $fpm = fpm_get_status() ?: ['procs' => [], 'listen-queue' => 0];
        $inUse = $idle = 0;
        foreach ($fpm['procs'] as $proc) {
            if ($registry->holdsConnection($proc['pid'])) {
                $proc['state'] === 'Idle' ? $idle++ : $inUse++;
            }
        }
        // The children and their master (this child's parent).
        [$cpuSeconds, $residentBytes] = self::usage([...array_column($fpm['procs'], 'pid'), posix_getppid()]);

        $requests = array_map(fn (array $series) => [
            'labels' => array_combine(['method', 'route', 'status'], $series['labels']),
        ] + $series, $registry->requests());

        $text = (new Exposition)
            ->histogram('http_request_duration_seconds', 'Time from a request\'s arrival to its response.', Registry::BUCKETS, $requests)
            ->gauge('db_pool_connections_in_use', 'Database connections held by busy PHP-FPM children.', $inUse)
            ->gauge('db_pool_connections_idle', 'Database connections held by idle PHP-FPM children.', $idle)
            ->gauge('db_pool_requests_waiting', 'Requests in PHP-FPM\'s listen queue, waiting for a free child.', $fpm['listen-queue'])
            ->counter('process_cpu_seconds_total', 'User and system CPU time of PHP-FPM\'s processes.', $cpuSeconds)
            ->gauge('process_resident_memory_bytes', 'Resident memory of PHP-FPM\'s processes.', $residentBytes)
            ->counter('php_gc_collector_seconds_total', 'Time PHP\'s cycle collector ran, all children.', $registry->gcSeconds());

        return response((string) $text, 200, ['Content-Type' => Exposition::CONTENT_TYPE]);
    }

    /**
     * CPU seconds (utime + stime) and resident bytes of these processes,
     * from /proc/<pid>/stat (proc(5)).
     *
     * @param  array<int, int>  $pids
     * @return array{0: float, 1: int}
     */
    private static function usage(array $pids): array
    {
        $ticks = 0;
        $pages = 0;
        foreach (array_unique($pids) as $pid) {
            $stat = @file_get_contents("/proc/$pid/stat");
            if ($stat === false) {
                continue;
            }
            // The fields after the command name, which is in parentheses: state is field 3.
            $fields = explode(' ', substr($stat, strrpos($stat, ')') + 2));
            $ticks += (int) $fields[11] + (int) $fields[12];
            $pages += (int) $fields[21];
        }

        return [$ticks / 100, $pages * 4096];
    }
}
