<?php

namespace App\Http\Controllers;

use App\Http\Requests\SearchProductsRequest;
use App\Http\Resources\ProductResource;
use App\Http\Resources\ProductSummaryResource;
use App\Models\Product;
use Illuminate\Http\JsonResponse;

class ProductController extends Controller
{
    /**
     * GET /products/search
     */
    public function search(SearchProductsRequest $request): JsonResponse
    {
        $filters = $request->filters();
        $found = Product::query()->search($filters);
        $items = $found->clone()
            ->sorted($filters['sort'], $filters['q'])
            ->limit($request->limit())
            ->offset($request->offset())
            ->get(Product::SUMMARY);

        return response()->json([
            'total' => $found->count(),
            'limit' => $request->limit(),
            'offset' => $request->offset(),
            'items' => ProductSummaryResource::collection($items),
        ]);
    }

    /**
     * GET /products/{product}
     */
    public function show(Product $product): ProductResource
    {
        return new ProductResource($product);
    }
}
