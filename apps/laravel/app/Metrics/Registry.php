<?php

namespace App\Metrics;

use APCUIterator;

/**
 * The app's counters, kept in APCu: its shared memory belongs to the PHP-FPM
 * master, so every child adds to the same numbers and one scrape sees the
 * whole app (RULES.md §8). Debian packages no PHP Prometheus client, so this
 * and Exposition are the small part of one the app needs.
 *
 * A request's duration lands in one bucket counter (non-cumulative; the
 * exposition sums them) and in a sum kept in microseconds, since APCu adds
 * integers only.
 */
class Registry
{
    /** Upper bounds of the request-duration buckets, in seconds. */
    public const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private const REQUESTS = 'metrics:http:';

    private const GC_MICROSECONDS = 'metrics:gc_us';

    private const CONNECTED = 'metrics:connected:';

    /** PHP's garbage collector time of this process when last reported, in seconds. */
    private static float $gcSeconds = 0.0;

    /** Whether this process has run a query, so holds its persistent connection. */
    private static bool $queried = false;

    /**
     * Called for every query (a DB::listen callback, AppServiceProvider).
     */
    public static function queried(): void
    {
        self::$queried = true;
    }

    public function observeRequest(string $method, string $route, int $status, float $seconds): void
    {
        $bucket = count(self::BUCKETS);
        foreach (self::BUCKETS as $i => $le) {
            if ($seconds <= $le) {
                $bucket = $i;
                break;
            }
        }
        $key = self::REQUESTS.json_encode([$method, $route, (string) $status]);
        $this->add("$key|$bucket", 1);
        $this->add("$key|sum", (int) round($seconds * 1e6));
    }

    /**
     * This child's share of the figures no request carries: the garbage
     * collector's time since its last request, and whether it holds a database
     * connection (PDO persistent connections stay open once made).
     */
    public function observeProcess(): void
    {
        $gcSeconds = gc_status()['collector_time'] ?? 0.0;
        if ($gcSeconds > self::$gcSeconds) {
            $this->add(self::GC_MICROSECONDS, (int) round(($gcSeconds - self::$gcSeconds) * 1e6));
            self::$gcSeconds = $gcSeconds;
        }

        $connected = self::CONNECTED.getmypid();
        if (self::$queried && ! apcu_exists($connected)) {
            apcu_store($connected, true);
        }
    }

    public function holdsConnection(int $pid): bool
    {
        return apcu_exists(self::CONNECTED.$pid);
    }

    /**
     * @return array<int, array{labels: array{0: string, 1: string, 2: string}, buckets: array<int, int>, sum: float}>
     */
    public function requests(): array
    {
        $series = [];
        foreach (new APCUIterator('/^'.preg_quote(self::REQUESTS, '/').'/') as $entry) {
            [$labels, $part] = explode('|', substr($entry['key'], strlen(self::REQUESTS)), 2);
            $series[$labels]['labels'] ??= json_decode($labels, true);
            $series[$labels]['buckets'] ??= array_fill(0, count(self::BUCKETS) + 1, 0);
            $series[$labels]['sum'] ??= 0.0;
            if ($part === 'sum') {
                $series[$labels]['sum'] = $entry['value'] / 1e6;
            } else {
                $series[$labels]['buckets'][(int) $part] = $entry['value'];
            }
        }

        return array_values($series);
    }

    public function gcSeconds(): float
    {
        return (apcu_fetch(self::GC_MICROSECONDS) ?: 0) / 1e6;
    }

    private function add(string $key, int $by): void
    {
        apcu_add($key, 0);
        apcu_inc($key, $by);
    }
}
