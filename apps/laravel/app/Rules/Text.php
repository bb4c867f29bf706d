<?php

namespace App\Rules;

use Closure;
use Illuminate\Contracts\Validation\ValidationRule;

/**
 * RULES.md §2: text holding U+0000 or an unpaired surrogate (invalid UTF-8
 * once decoded) is refused.
 */
class Text implements ValidationRule
{
    /**
     * Run even on values Laravel counts as empty: it trims "\0" away before
     * deciding a value is empty, so "\0" alone would otherwise pass.
     */
    public bool $implicit = true;

    public function validate(string $attribute, mixed $value, Closure $fail): void
    {
        if ($value === null) {
            return; // absent: whether that is allowed is another rule's business
        }
        if (! is_string($value) || ! mb_check_encoding($value, 'UTF-8') || str_contains($value, "\0")) {
            $fail('The :attribute must be text without NUL characters or unpaired surrogates.');
        }
    }
}
