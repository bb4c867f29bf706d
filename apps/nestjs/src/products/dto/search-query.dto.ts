// GET /products/search parameters (RULES.md §2, §3). Every fault is 422: none of these rules is a
// JSON type. A parameter given twice counts with its last value.
import { Transform, type TransformFnParams } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

import { INT32_MAX, IsStorableText, MaxCodePoints } from '../../common/validation.js';

export const SORTS = ['relevance', 'price_asc', 'price_desc'] as const;
export type Sort = (typeof SORTS)[number];

const DECIMAL = /^-?[0-9]+$/;
const BLANK = /^[ \t\r\n]*$/;

const lastValue = ({ value }: TransformFnParams): unknown => (Array.isArray(value) ? value.at(-1) : value);

/** Decimal digits (with an optional minus) become a number; other text stays text and fails @IsInt. */
const toInteger = (params: TransformFnParams): unknown => {
  const value = lastValue(params);
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
};

export class SearchQuery {
  @IsOptional()
  @Transform(lastValue)
  @IsString()
  @IsStorableText()
  @MaxCodePoints(200)
  q?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  category?: number;

  @IsOptional()
  @Transform(lastValue)
  @IsString()
  @IsStorableText()
  brand?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  min_price?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  max_price?: number;

  @IsOptional()
  @Transform(lastValue)
  @IsIn(['true', 'false'])
  in_stock?: 'true' | 'false';

  @IsOptional()
  @Transform(lastValue)
  @IsIn(SORTS)
  sort?: Sort;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10_000)
  offset: number = 0;
}

/** The search to run: blank text counts as absent and the sort defaulted. Relevance without q, or
 * min_price above max_price, is no error: the page is ordered by id, or matches nothing. */
export interface SearchCriteria {
  q?: string;
  category?: number;
  brand?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  sort: Sort;
  limit: number;
  offset: number;
}

export function searchCriteria(query: SearchQuery): SearchCriteria {
  const q = query.q === undefined || BLANK.test(query.q) ? undefined : query.q;
  const sort = query.sort ?? (q === undefined ? 'price_asc' : 'relevance');
  return {
    q,
    category: query.category,
    brand: query.brand || undefined,
    minPrice: query.min_price,
    maxPrice: query.max_price,
    inStock: query.in_stock === undefined ? undefined : query.in_stock === 'true',
    sort,
    limit: query.limit,
    offset: query.offset,
  };
}
