<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Builder;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;
use Illuminate\Database\Eloquent\Relations\HasMany;
use Illuminate\Support\Collection;

class Order extends Model
{
    public const TAX_BASIS_POINTS = 825; // 8.25 %

    public $timestamps = false;

    protected $fillable = ['cart_id', 'email', 'idempotency_key', 'subtotal_cents', 'tax_cents', 'total_cents'];

    public function cart(): BelongsTo
    {
        return $this->belongsTo(Cart::class);
    }

    public function items(): HasMany
    {
        return $this->hasMany(OrderItem::class);
    }

    /**
     * 8.25 % of $subtotalCents, rounded half up, in integer arithmetic.
     */
    public static function taxFor(int $subtotalCents): int
    {
        return intdiv($subtotalCents * self::TAX_BASIS_POINTS + 5000, 10000);
    }

    /**
     * The order as a receipt: created_at printed by PostgreSQL (RULES.md §6),
     * so every app agrees on it.
     */
    public function scopeReceipt(Builder $query): void
    {
        $query->select(['id', 'cart_id', 'email', 'status', 'subtotal_cents', 'tax_cents', 'total_cents'])
            ->selectRaw("to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS created_at");
    }

    /**
     * GET /orders/{order} binds the receipt. An id beyond bigint names no order.
     */
    public function resolveRouteBinding($value, $field = null)
    {
        return filter_var($value, FILTER_VALIDATE_INT) === false
            ? null
            : static::query()->receipt()->find($value);
    }

    /**
     * The lines at the prices charged, by product_id, with the products' names.
     *
     * @return Collection<int, OrderItem>
     */
    public function lines(): Collection
    {
        return $this->items()
            ->join('products', 'products.id', '=', 'order_items.product_id')
            ->orderBy('order_items.product_id')
            ->get(['order_items.product_id', 'products.name', 'order_items.unit_price_cents', 'order_items.quantity']);
    }
}
