package dev.bakeoff.shop.carts;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The body of {@code POST /carts/{id}/items}. Fields are {@code Long} so that any JSON integer
 * reaches validation (see web.JsonIntegerDeserializer): out of range is 422, not 400.
 */
public record AddItemRequest(
        @Min(1) @Max(Integer.MAX_VALUE) Long productId,
        @Min(1) @Max(100) Long quantity) {
}
