<?php

namespace App\Http\Controllers;

use App\Http\Resources\CartResource;
use App\Models\Cart;

class CartController extends Controller
{
    /**
     * POST /carts: any body and any Content-Type are ignored. 201 (a resource
     * for a model just created).
     */
    public function store(): CartResource
    {
        return new CartResource(Cart::create());
    }

    /**
     * GET /carts/{cart}
     */
    public function show(Cart $cart): CartResource
    {
        return new CartResource($cart);
    }
}
