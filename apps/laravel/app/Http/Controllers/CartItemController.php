<?php

namespace App\Http\Controllers;

use App\Exceptions\ApiException;
use App\Exceptions\CartCheckedOut;
use App\Http\Requests\AddCartItemRequest;
use App\Http\Resources\CartResource;
use App\Models\Cart;
use App\Models\CartItem;
use App\Models\Product;
use Illuminate\Support\Facades\DB;

class CartItemController extends Controller
{
    /**
     * POST /carts/{cart}/items (RULES.md §4). The cart is not bound from the
     * route: it is looked up after the body is validated, locked FOR SHARE in
     * the transaction, so a concurrent checkout waits or is waited for.
     */
    public function store(AddCartItemRequest $request, string $cart): CartResource
    {
        $productId = (int) $request->validated('product_id');
        $quantity = (int) $request->validated('quantity');

        $cart = DB::transaction(function () use ($cart, $productId, $quantity) {
            $cart = Cart::query()->whereKey($cart)->sharedLock()->first(['id', 'checked_out_at']);
            if ($cart === null) {
                throw ApiException::notFound('No such cart.');
            }
            if ($cart->isCheckedOut()) {
                throw new CartCheckedOut;
            }
            if (! Product::query()->whereKey($productId)->exists()) {
                throw ApiException::notFound('No such product.');
            }
            CartItem::add($cart->id, $productId, $quantity);

            return $cart;
        });

        return new CartResource($cart);
    }
}
