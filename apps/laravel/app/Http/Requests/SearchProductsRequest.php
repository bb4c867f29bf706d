<?php

namespace App\Http\Requests;

use App\Rules\Text;
use Illuminate\Foundation\Http\FormRequest;
use Illuminate\Validation\Rule;

/**
 * GET /products/search's query parameters (RULES.md §2–3): every wrong value
 * is 422. "filled" makes an empty value wrong rather than absent; integers
 * must match -?[0-9]+ before their range is judged ("+1", " 1" are wrong).
 * No rule joins two parameters: relevance without q orders by id, and
 * min_price above max_price matches nothing.
 */
class SearchProductsRequest extends FormRequest
{
    private const INTEGER = 'regex:/^-?[0-9]+$/D';

    public const SORTS = ['relevance', 'price_asc', 'price_desc'];

    /**
     * The query string, with a blank q (spaces, tabs, CR, LF) and an empty
     * brand left out: they count as absent.
     *
     * @return array<string, mixed>
     */
    public function validationData(): array
    {
        $query = $this->query->all();
        if (is_string($query['q'] ?? null) && trim($query['q'], " \t\r\n") === '') {
            unset($query['q']);
        }
        if (($query['brand'] ?? null) === '') {
            unset($query['brand']);
        }

        return $query;
    }

    /**
     * @return array<string, array<int, mixed>>
     */
    public function rules(): array
    {
        return [
            'q' => ['string', 'max:200', new Text],
            'brand' => ['string', new Text],
            'category' => ['filled', self::INTEGER, 'integer', 'between:1,2147483647'],
            'min_price' => ['filled', self::INTEGER, 'integer', 'between:0,2147483647'],
            'max_price' => ['filled', self::INTEGER, 'integer', 'between:0,2147483647'],
            'in_stock' => ['filled', 'in:true,false'],
            'sort' => ['filled', Rule::in(self::SORTS)],
            'limit' => ['filled', self::INTEGER, 'integer', 'between:1,100'],
            'offset' => ['filled', self::INTEGER, 'integer', 'between:0,10000'],
        ];
    }

    /**
     * The filters of Product::search(), typed.
     *
     * @return array{q: ?string, category: ?int, brand: ?string, min_price: ?int, max_price: ?int, in_stock: ?bool, sort: string}
     */
    public function filters(): array
    {
        $valid = $this->validated();
        $int = fn (string $key) => isset($valid[$key]) ? (int) $valid[$key] : null;

        return [
            'q' => $valid['q'] ?? null,
            'category' => $int('category'),
            'brand' => $valid['brand'] ?? null,
            'min_price' => $int('min_price'),
            'max_price' => $int('max_price'),
            'in_stock' => isset($valid['in_stock']) ? $valid['in_stock'] === 'true' : null,
            'sort' => $valid['sort'] ?? (isset($valid['q']) ? 'relevance' : 'price_asc'),
        ];
    }

    public function limit(): int
    {
        return (int) ($this->validated('limit') ?? 20);
    }

    public function offset(): int
    {
        return (int) ($this->validated('offset') ?? 0);
    }
}
