package dev.bakeoff.shop.orders;

import java.util.List;
import java.util.UUID;

import dev.bakeoff.shop.carts.Line;

/** An order as checkout answers it and {@code GET /orders/{id}} reads it back. */
public record Order(
        long id,
        UUID cartId,
        String email,
        String status,
        List<Line> items,
        long subtotalCents,
        long taxCents,
        long totalCents,
        String createdAt) {

    /** 8.25 % of the subtotal, rounded half up, in integer arithmetic. */
    public static long taxCents(long subtotalCents) {
        return (subtotalCents * 825 + 5000) / 10000;
    }
}
