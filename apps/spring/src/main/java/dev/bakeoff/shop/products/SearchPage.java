package dev.bakeoff.shop.products;

import java.util.List;

/** One page of search hits, with the total count of matches and the paging applied. */
public record SearchPage(long total, int limit, int offset, List<ProductSummary> items) {
}
