package dev.bakeoff.shop.carts;

/** One product in a cart or an order: {@code lineTotalCents = unitPriceCents * quantity}. */
public record Line(int productId, String name, int unitPriceCents, int quantity, long lineTotalCents) {

    public static long subtotal(Iterable<Line> lines) {
        long subtotal = 0;
        for (Line line : lines) {
            subtotal += line.lineTotalCents();
        }
        return subtotal;
    }
}
