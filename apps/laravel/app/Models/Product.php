<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Builder;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;

/**
 * The tables are datasets/schema.sql's, named the Laravel way (products,
 * cart_items, …), so the models need no $table. The schema owns ids and
 * timestamps, so Eloquent maintains none.
 */
class Product extends Model
{
    public $timestamps = false;

    public const SUMMARY = ['id', 'sku', 'name', 'brand', 'category_id', 'price_cents', 'stock'];

    public function category(): BelongsTo
    {
        return $this->belongsTo(Category::class);
    }

    /**
     * The search of RULES.md §3: only the filters given, then the sort; ties
     * go to the lowest id. Full-text search and the category subtree (a
     * recursive CTE) have no query-builder API: they are raw SQL fragments
     * with bound values.
     *
     * @param  array{q: ?string, category: ?int, brand: ?string, min_price: ?int, max_price: ?int, in_stock: ?bool, sort: string}  $filters
     */
    public function scopeSearch(Builder $query, array $filters): void
    {
        $query
            ->when($filters['q'] !== null, fn (Builder $query) => $query
                ->whereRaw("search_vector @@ websearch_to_tsquery('english', ?)", [$filters['q']]))
            ->when($filters['category'], fn (Builder $query, int $category) => $query
                ->whereRaw('category_id IN (
                    WITH RECURSIVE subtree(id) AS (
                        SELECT id FROM categories WHERE id = ?
                        UNION
                        SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
                    )
                    SELECT id FROM subtree)', [$category]))
            ->when($filters['brand'] !== null, fn (Builder $query) => $query->where('brand', $filters['brand']))
            ->when($filters['min_price'] !== null, fn (Builder $query) => $query->where('price_cents', '>=', $filters['min_price']))
            ->when($filters['max_price'] !== null, fn (Builder $query) => $query->where('price_cents', '<=', $filters['max_price']))
            ->when($filters['in_stock'] !== null, fn (Builder $query) => $query->where('stock', $filters['in_stock'] ? '>' : '<=', 0));
    }

    /**
     * Without q every rank is NULL, so relevance leaves the order to the ids.
     */
    public function scopeSorted(Builder $query, string $sort, ?string $q): void
    {
        match ($sort) {
            'relevance' => $query->when($q !== null, fn (Builder $query) => $query
                ->orderByRaw("ts_rank_cd(search_vector, websearch_to_tsquery('english', ?)) DESC", [$q])),
            'price_asc' => $query->orderBy('price_cents'),
            'price_desc' => $query->orderByDesc('price_cents'),
        };
        $query->orderBy('id');
    }

    /**
     * An id beyond the column's range names no product (PostgreSQL would
     * refuse to compare it with an integer column).
     */
    public function resolveRouteBinding($value, $field = null)
    {
        return filter_var($value, FILTER_VALIDATE_INT, ['options' => ['max_range' => 2147483647]]) === false
            ? null
            : parent::resolveRouteBinding($value, $field);
    }
}
