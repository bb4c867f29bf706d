package dev.bakeoff.shop.products;

/** A product page (schema {@code Product}). */
public record Product(
        int id,
        String sku,
        String name,
        String description,
        String brand,
        int categoryId,
        int priceCents,
        int stock,
        boolean inStock) {
}
