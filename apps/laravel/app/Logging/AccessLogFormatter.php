<?php

namespace App\Logging;

use Monolog\Formatter\JsonFormatter;
use Monolog\LogRecord;

/**
 * Monolog's JsonFormatter, writing a record as the flat object RULES.md §8
 * wants: `ts` (RFC 3339, UTC, milliseconds), `level` (lower case), then the
 * record's context (method, route, status, …). The `access` channel of
 * config/logging.php uses it.
 */
class AccessLogFormatter extends JsonFormatter
{
    public function format(LogRecord $record): string
    {
        $line = [
            'ts' => $record->datetime->setTimezone(new \DateTimeZone('UTC'))->format('Y-m-d\TH:i:s.v\Z'),
            'level' => strtolower($record->level->getName()),
        ] + $record->context;

        return $this->toJson($this->normalize($line), true).($this->appendNewline ? "\n" : '');
    }
}
