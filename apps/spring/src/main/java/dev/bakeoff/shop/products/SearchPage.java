package dev.bakeoff.shop.products;

import java.util.List;

/**
 * One page of search hits, with the count of matches up to {@link #TOTAL_BOUND} (exact when
 * {@code totalExact}) and the paging applied.
 */
public record SearchPage(long total, boolean totalExact, int limit, int offset, List<ProductSummary> items) {

    /** The most matches a search counts (RULES.md §3). */
    public static final int TOTAL_BOUND = 1000;

    /** A page whose count of matches went up to one past the bound. */
    static SearchPage of(long matches, int limit, int offset, List<ProductSummary> items) {
        return new SearchPage(Math.min(matches, TOTAL_BOUND), matches <= TOTAL_BOUND, limit, offset, items);
    }
}
