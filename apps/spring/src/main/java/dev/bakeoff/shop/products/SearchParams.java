package dev.bakeoff.shop.products;

import java.util.Locale;

import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.BindParam;

import dev.bakeoff.shop.products.SearchCriteria.Sort;
import dev.bakeoff.shop.web.IntegerText;
import dev.bakeoff.shop.web.PlainText;

/**
 * The query parameters of {@code GET /products/search} as sent, bound by Spring MVC and checked by
 * Bean Validation (every refusal is a 422); {@link #criteria()} turns them into the search.
 * {@code sort=relevance} without {@code q}, and {@code min_price} above {@code max_price}, are
 * allowed: the one orders by id, the other matches nothing.
 */
public record SearchParams(
        @PlainText(max = 200) String q,
        @IntegerText(min = 1) String category,
        @PlainText String brand,
        @BindParam("min_price") @IntegerText(min = 0) String minPrice,
        @BindParam("max_price") @IntegerText(min = 0) String maxPrice,
        @BindParam("in_stock") @Pattern(regexp = "true|false") String inStock,
        @Pattern(regexp = "relevance|price_asc|price_desc") String sort,
        @IntegerText(min = 1, max = 100) String limit,
        @IntegerText(min = 0, max = 10000) String offset) {

    /** The search these parameters ask for, defaults applied; call once they are valid. */
    public SearchCriteria criteria() {
        String query = query();
        Sort effectiveSort = sort != null
                ? Sort.valueOf(sort.toUpperCase(Locale.ROOT))
                : query != null ? Sort.RELEVANCE : Sort.PRICE_ASC;
        return new SearchCriteria(
                query,
                integer(category),
                brand == null || brand.isEmpty() ? null : brand,
                integer(minPrice),
                integer(maxPrice),
                inStock == null ? null : Boolean.valueOf(inStock),
                effectiveSort,
                limit == null ? 20 : Integer.parseInt(limit),
                offset == null ? 0 : Integer.parseInt(offset));
    }

    /** {@code q} of spaces, tabs, CR and LF only (or empty) counts as absent. */
    private String query() {
        if (q == null || q.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            return null;
        }
        return q;
    }

    private static Integer integer(String text) {
        return text == null ? null : Integer.valueOf(text);
    }
}
