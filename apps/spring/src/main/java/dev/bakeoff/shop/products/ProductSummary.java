package dev.bakeoff.shop.products;

/** A search hit (schema {@code ProductSummary}). */
public record ProductSummary(
        int id,
        String sku,
        String name,
        String brand,
        int categoryId,
        int priceCents,
        boolean inStock) {
}
