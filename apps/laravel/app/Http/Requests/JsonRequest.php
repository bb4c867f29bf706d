<?php

namespace App\Http\Requests;

use App\Exceptions\ApiException;
use Illuminate\Foundation\Http\FormRequest;

/**
 * A form request read from a JSON body (decoded by the EnsureJsonBody
 * middleware). RULES.md §2 splits what can be wrong in two: first the JSON
 * types, where a missing or null field, or one of another JSON type, is 400;
 * only then the values, where anything not allowed is 422 (the rules(), as
 * in any form request). Unknown fields are ignored.
 */
abstract class JsonRequest extends FormRequest
{
    /**
     * The JSON type of each field the body must have.
     *
     * @return array<string, 'integer'|'string'>
     */
    abstract protected function fields(): array;

    /**
     * The body only: not the query string, not the route.
     *
     * @return array<string, mixed>
     */
    public function validationData(): array
    {
        return $this->json()->all();
    }

    protected function prepareForValidation(): void
    {
        $body = $this->json()->all();
        foreach ($this->fields() as $field => $type) {
            if (! self::hasJsonType($body[$field] ?? null, $type)) {
                throw ApiException::badRequest("{$field} must be a JSON {$type}.");
            }
        }
    }

    /**
     * An integer is a JSON number with an integral value (3, 3.0, 3e0); "3",
     * 3.5 and true are not. Its range is for the rules to judge.
     */
    private static function hasJsonType(mixed $value, string $type): bool
    {
        return match ($type) {
            'string' => is_string($value),
            'integer' => is_int($value) || (is_float($value) && is_finite($value) && floor($value) === $value),
        };
    }
}
