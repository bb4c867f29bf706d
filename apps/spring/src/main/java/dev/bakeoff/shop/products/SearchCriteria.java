package dev.bakeoff.shop.products;

/**
 * A search with defaults applied and absent filters as {@code null}: what the canonical SQL
 * of RULES.md §3 takes as parameters.
 */
public record SearchCriteria(
        String query,
        Integer category,
        String brand,
        Integer minPrice,
        Integer maxPrice,
        Boolean inStock,
        Sort sort,
        int limit,
        int offset) {

    public enum Sort {
        RELEVANCE, PRICE_ASC, PRICE_DESC
    }
}
