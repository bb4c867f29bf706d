<?php

namespace App\Http\Requests;

use App\Models\CartItem;

/**
 * POST /carts/{cart}/items: {"product_id": 1..2^31-1, "quantity": 1..100}.
 */
class AddCartItemRequest extends JsonRequest
{
    protected function fields(): array
    {
        return ['product_id' => 'integer', 'quantity' => 'integer'];
    }

    /**
     * @return array<string, array<int, mixed>>
     */
    public function rules(): array
    {
        return [
            'product_id' => ['required', 'integer', 'between:1,2147483647'],
            'quantity' => ['required', 'integer', 'between:1,'.CartItem::MAX_QUANTITY],
        ];
    }
}
