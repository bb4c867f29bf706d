<?php

namespace App\Http\Controllers;

use App\Http\Requests\SearchProductsRequest;
use App\Http\Resources\ProductResource;
use App\Http\Resources\ProductSummaryResource;
use App\Models\Product;
use Illuminate\Http\JsonResponse;
use Illuminate\Support\Facades\DB;

class ProductController extends Controller
{
    /**
     * The total is exact up to this many matches, then "more than" (RULES.md §3).
     */
    private const TOTAL_BOUND = 1000;

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
        // SELECT count(*) FROM (SELECT 1 FROM products WHERE ... LIMIT 1001) AS m
        $matches = DB::query()
            ->fromSub($found->clone()->selectRaw('1')->limit(self::TOTAL_BOUND + 1), 'm')
            ->count();

        return response()->json([
            'total' => min($matches, self::TOTAL_BOUND),
            'total_exact' => $matches <= self::TOTAL_BOUND,
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
