<?php

namespace App\Actions;

use App\Exceptions\ApiException;
use App\Exceptions\CartCheckedOut;
use App\Models\Cart;
use App\Models\CartItem;
use App\Models\Order;
use App\Models\OrderItem;
use App\Models\Product;
use Illuminate\Database\UniqueConstraintViolationException;
use Illuminate\Support\Collection;
use Illuminate\Support\Facades\DB;

/**
 * Turns a cart into an order, all or nothing (RULES.md §5).
 */
class PlaceOrder
{
    /**
     * @return array{0: Order, 1: bool} the order, and whether this call created it
     *                                  (false: the earlier order of a repeated Idempotency-Key)
     */
    public function __invoke(string $cartId, string $email, ?string $idempotencyKey): array
    {
        $cartId = strtolower($cartId);
        if ($earlier = $this->earlierOrder($cartId, $idempotencyKey)) {
            return [$earlier, false];
        }

        try {
            return [$this->place($cartId, $email, $idempotencyKey), true];
        } catch (CartCheckedOut|UniqueConstraintViolationException $e) {
            // A twin with the same key may just have committed (or won the race to insert).
            if ($earlier = $this->earlierOrder($cartId, $idempotencyKey)) {
                return [$earlier, false];
            }
            throw $e;
        }
    }

    /**
     * The order already placed under this Idempotency-Key: only for the same cart.
     */
    private function earlierOrder(string $cartId, ?string $idempotencyKey): ?Order
    {
        if ($idempotencyKey === null) {
            return null;
        }
        $order = Order::query()->where('idempotency_key', $idempotencyKey)->first(['id', 'cart_id']);
        if ($order && $order->cart_id !== $cartId) {
            throw ApiException::validationFailed('The Idempotency-Key was used for another cart.');
        }

        return $order;
    }

    private function place(string $cartId, string $email, ?string $idempotencyKey): Order
    {
        return DB::transaction(function () use ($cartId, $email, $idempotencyKey) {
            // NO KEY UPDATE rather than lockForUpdate()'s FOR UPDATE: see README.md.
            $cart = Cart::query()->whereKey($cartId)->lock('for no key update')->first(['id', 'checked_out_at']);
            if ($cart === null) {
                throw ApiException::notFound('No such cart.');
            }
            if ($cart->isCheckedOut()) {
                throw new CartCheckedOut;
            }

            $lines = $this->lockedLines($cartId);
            if ($lines->isEmpty()) {
                throw ApiException::validationFailed('The cart is empty.');
            }
            $short = $lines->filter(fn (CartItem $line) => $line->quantity > $line->stock);
            if ($short->isNotEmpty()) {
                throw ApiException::outOfStock($short->pluck('product_id')->all());
            }

            foreach ($lines as $line) {
                Product::query()->whereKey($line->product_id)->decrement('stock', $line->quantity);
            }
            Cart::query()->whereKey($cartId)->update(['checked_out_at' => DB::raw('now()')]);

            $subtotal = $lines->sum(fn (CartItem $line) => $line->price_cents * $line->quantity);
            $tax = Order::taxFor($subtotal);
            $order = Order::create([
                'cart_id' => $cartId,
                'email' => $email,
                'idempotency_key' => $idempotencyKey,
                'subtotal_cents' => $subtotal,
                'tax_cents' => $tax,
                'total_cents' => $subtotal + $tax,
            ]);
            OrderItem::query()->insert($lines->map(fn (CartItem $line) => [
                'order_id' => $order->id,
                'product_id' => $line->product_id,
                'quantity' => $line->quantity,
                'unit_price_cents' => $line->price_cents,
            ])->all());

            return $order;
        });
    }

    /**
     * The cart's lines with their products' price and stock, the products
     * locked in product_id order: one lock order for every checkout, so none
     * deadlock.
     *
     * @return Collection<int, CartItem>
     */
    private function lockedLines(string $cartId): Collection
    {
        return CartItem::query()
            ->join('products', 'products.id', '=', 'cart_items.product_id')
            ->where('cart_items.cart_id', $cartId)
            ->orderBy('cart_items.product_id')
            ->lock('for no key update of products')
            ->get(['cart_items.product_id', 'cart_items.quantity', 'products.price_cents', 'products.stock']);
    }
}
