<?php

namespace App\Http\Resources;

use Illuminate\Http\Request;
use Illuminate\Http\Resources\Json\JsonResource;

/** @mixin \App\Models\Cart */
class CartResource extends JsonResource
{
    /**
     * @return array<string, mixed>
     */
    public function toArray(Request $request): array
    {
        $lines = $this->lines();

        return [
            'id' => $this->id,
            'items' => LineResource::collection($lines),
            'subtotal_cents' => $lines->sum(fn ($line) => $line->unit_price_cents * $line->quantity),
        ];
    }
}
