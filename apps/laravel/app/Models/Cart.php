<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Concerns\HasUuids;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\HasMany;
use Illuminate\Support\Collection;

class Cart extends Model
{
    use HasUuids;

    public $timestamps = false;

    protected $casts = [
        'checked_out_at' => 'immutable_datetime',
    ];

    public function items(): HasMany
    {
        return $this->hasMany(CartItem::class);
    }

    public function isCheckedOut(): bool
    {
        return $this->checked_out_at !== null;
    }

    /**
     * The lines as RULES.md §4 shows them: by product_id, at the products'
     * current prices.
     *
     * @return Collection<int, CartItem>
     */
    public function lines(): Collection
    {
        return $this->items()
            ->join('products', 'products.id', '=', 'cart_items.product_id')
            ->orderBy('cart_items.product_id')
            ->get(['cart_items.product_id', 'products.name', 'products.price_cents as unit_price_cents', 'cart_items.quantity']);
    }
}
