<?php

namespace App\Http\Controllers;

use App\Actions\PlaceOrder;
use App\Http\Requests\CheckoutRequest;
use App\Http\Resources\OrderResource;
use App\Models\Order;
use Illuminate\Http\JsonResponse;

class CheckoutController extends Controller
{
    /**
     * POST /checkout (RULES.md §5): 201 with a new order, 200 with the order a
     * repeated Idempotency-Key placed before.
     */
    public function __invoke(CheckoutRequest $request, PlaceOrder $placeOrder): JsonResponse
    {
        [$order, $created] = $placeOrder(
            $request->validated('cart_id'),
            $request->validated('email'),
            $request->idempotencyKey(),
        );

        return (new OrderResource(Order::query()->receipt()->findOrFail($order->id)))
            ->response()
            ->setStatusCode($created ? 201 : 200);
    }
}
