<?php

namespace App\Http\Requests;

use App\Rules\Text;

/**
 * POST /checkout: {"cart_id": uuid, "email": ...} and an optional
 * Idempotency-Key header, which is judged with the body (422).
 */
class CheckoutRequest extends JsonRequest
{
    protected function fields(): array
    {
        return ['cart_id' => 'string', 'email' => 'string'];
    }

    public function validationData(): array
    {
        $data = parent::validationData();
        if ($this->headers->has('Idempotency-Key')) {
            $data['idempotency_key'] = (string) $this->header('Idempotency-Key');
        }

        return $data;
    }

    /**
     * @return array<string, array<int, mixed>>
     */
    public function rules(): array
    {
        return [
            'cart_id' => ['required', 'uuid'],
            // openapi.yaml's pattern: one @, something before it, a dot somewhere after it, no NUL.
            'email' => ['required', new Text, 'max:254', 'regex:/^[^@\x00]+@[^@\x00]*\.[^@\x00]*$/D'],
            // 1..64 visible ASCII characters.
            'idempotency_key' => ['sometimes', 'required', 'regex:/^[\x21-\x7E]{1,64}$/D'],
        ];
    }

    public function idempotencyKey(): ?string
    {
        return $this->validated('idempotency_key');
    }
}
