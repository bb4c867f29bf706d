<?php

use App\Http\Controllers\CartController;
use App\Http\Controllers\CartItemController;
use App\Http\Controllers\CheckoutController;
use App\Http\Controllers\HealthController;
use App\Http\Controllers\MetricsController;
use App\Http\Controllers\OrderController;
use App\Http\Controllers\ProductController;
use Illuminate\Support\Facades\Route;

/*
|--------------------------------------------------------------------------
| API Routes
|--------------------------------------------------------------------------
|
| The contract's routes (apps/contract/openapi.yaml), loaded without a
| prefix by the RouteServiceProvider. A path id of the wrong form matches no
| route: 404, like an unknown id. Another method on a known path is 405 with
| an Allow header (Laravel's router does that itself). The routes that read a
| body refuse one over post_max_size (100 KiB, docker/php.ini) with 413, then
| check that it is JSON.
|
*/

Route::get('/health', HealthController::class);
Route::get('/metrics', MetricsController::class);

Route::get('/products/search', [ProductController::class, 'search']);
Route::get('/products/{product}', [ProductController::class, 'show'])->where('product', '[1-9][0-9]{0,9}');

Route::post('/carts', [CartController::class, 'store']);
Route::get('/carts/{cart}', [CartController::class, 'show'])->whereUuid('cart');
Route::post('/carts/{cart}/items', [CartItemController::class, 'store'])->whereUuid('cart')->middleware(['post.size', 'json']);

Route::post('/checkout', CheckoutController::class)->middleware(['post.size', 'json']);

Route::get('/orders/{order}', [OrderController::class, 'show'])->where('order', '[1-9][0-9]{0,18}');
