<?php

namespace App\Metrics;

/**
 * Writes metric families in the Prometheus text format, version 0.0.4:
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
class Exposition
{
    public const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

    private string $text = '';

    /**
     * @param  array<int, array{labels: array<string, string>, value: float|int}>  $samples
     */
    public function family(string $name, string $type, string $help, array $samples): self
    {
        $this->text .= "# HELP $name ".addcslashes($help, "\\\n")."\n# TYPE $name $type\n";
        foreach ($samples as $sample) {
            $this->text .= $name.self::labels($sample['labels']).' '.self::number($sample['value'])."\n";
        }

        return $this;
    }

    public function gauge(string $name, string $help, float|int $value): self
    {
        return $this->family($name, 'gauge', $help, [['labels' => [], 'value' => $value]]);
    }

    public function counter(string $name, string $help, float|int $value): self
    {
        return $this->family($name, 'counter', $help, [['labels' => [], 'value' => $value]]);
    }

    /**
     * @param  array<int, float>  $bounds  the buckets' upper bounds, +Inf left out
     * @param  array<int, array{labels: array<string, string>, buckets: array<int, int>, sum: float}>  $series
     *   per label set, the count in each bucket (not cumulative), +Inf last
     */
    public function histogram(string $name, string $help, array $bounds, array $series): self
    {
        $this->text .= "# HELP $name ".addcslashes($help, "\\\n")."\n# TYPE $name histogram\n";
        foreach ($series as $one) {
            $cumulative = 0;
            foreach ($one['buckets'] as $i => $count) {
                $cumulative += $count;
                $le = isset($bounds[$i]) ? self::number($bounds[$i]) : '+Inf';
                $this->text .= "{$name}_bucket".self::labels($one['labels'] + ['le' => $le])." $cumulative\n";
            }
            $this->text .= "{$name}_sum".self::labels($one['labels']).' '.self::number($one['sum'])."\n";
            $this->text .= "{$name}_count".self::labels($one['labels'])." $cumulative\n";
        }

        return $this;
    }

    public function __toString(): string
    {
        return $this->text;
    }

    /**
     * @param  array<string, string>  $labels
     */
    private static function labels(array $labels): string
    {
        if ($labels === []) {
            return '';
        }
        $pairs = [];
        foreach ($labels as $name => $value) {
            $pairs[] = $name.'="'.str_replace(["\\", "\n", '"'], ['\\\\', '\\n', '\\"'], $value).'"';
        }

        return '{'.implode(',', $pairs).'}';
    }

    private static function number(float|int $value): string
    {
        return is_int($value) ? (string) $value : var_export($value, true);
    }
}
