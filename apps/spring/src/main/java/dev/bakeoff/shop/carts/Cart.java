package dev.bakeoff.shop.carts;

import java.util.List;
import java.util.UUID;

/** A cart priced at current product prices, lines by product id. */
public record Cart(UUID id, List<Line> items, long subtotalCents) {

    public static Cart of(UUID id, List<Line> items) {
        return new Cart(id, items, Line.subtotal(items));
    }
}
