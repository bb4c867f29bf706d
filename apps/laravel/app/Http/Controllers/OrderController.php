<?php

namespace App\Http\Controllers;

use App\Http\Resources\OrderResource;
use App\Models\Order;

class OrderController extends Controller
{
    /**
     * GET /orders/{order}: the body checkout gave.
     */
    public function show(Order $order): OrderResource
    {
        return new OrderResource($order);
    }
}
