// POST /carts/{id}/items body. A wrong JSON type (or a missing or null field) is 400; an integer
// out of range is 422, including values beyond 32 bits such as 1e30 (RULES.md §2).
import { IsInt, Max, Min } from 'class-validator';

import { INT32_MAX, JSON_TYPE } from '../../common/validation.js';

export const MAX_LINE_QUANTITY = 100;

export class AddItemDto {
  @IsInt(JSON_TYPE)
  @Min(1)
  @Max(INT32_MAX)
  product_id!: number;

  @IsInt(JSON_TYPE)
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}
