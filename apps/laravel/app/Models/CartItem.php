<?php

namespace App\Models;

use App\Exceptions\ApiException;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;
use Illuminate\Database\QueryException;
use Illuminate\Support\Facades\DB;

/**
 * A line of a cart. Its primary key is (cart_id, product_id), which Eloquent
 * cannot model: lines are written with upsert and read with queries, never
 * saved as models.
 */
class CartItem extends Model
{
    public const MAX_QUANTITY = 100;

    protected $primaryKey = null;

    public $incrementing = false;

    public $timestamps = false;

    public function cart(): BelongsTo
    {
        return $this->belongsTo(Cart::class);
    }

    public function product(): BelongsTo
    {
        return $this->belongsTo(Product::class);
    }

    /**
     * Adds $quantity of the product to the cart's line for it, creating the
     * line if need be, in one statement (concurrent adds cannot collide). A line
     * above MAX_QUANTITY violates the table's CHECK and changes nothing.
     */
    public static function add(string $cartId, int $productId, int $quantity): void
    {
        try {
            static::query()->upsert(
                [['cart_id' => $cartId, 'product_id' => $productId, 'quantity' => $quantity]],
                ['cart_id', 'product_id'],
                ['quantity' => DB::raw('cart_items.quantity + excluded.quantity')],
            );
        } catch (QueryException $e) {
            if ($e->getCode() !== '23514') { // check_violation
                throw $e;
            }
            throw ApiException::validationFailed('A cart line holds at most '.self::MAX_QUANTITY.'.');
        }
    }
}
