package dev.bakeoff.shop.products;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Products through Spring's {@link JdbcClient}. Search is the canonical SQL of RULES.md §3 with
 * only the filters given: the same rows in the same order, and a plan for the filters used rather
 * than one generic plan full of {@code $n IS NULL OR ...}.
 */
@Repository
public class ProductRepository {

    private final JdbcClient jdbc;

    public ProductRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Product> findById(long id) {
        return jdbc.sql("""
                SELECT id, sku, name, description, brand, category_id, price_cents, stock, stock > 0 AS in_stock
                FROM products WHERE id = :id""")
                .param("id", id)
                .query(Product.class)
                .optional();
    }

    public boolean exists(int id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM products WHERE id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    public SearchPage search(SearchCriteria criteria) {
        Filter filter = Filter.of(criteria);
        List<ProductSummary> items = jdbc.sql(filter.with + """
                SELECT p.id, p.sku, p.name, p.brand, p.category_id, p.price_cents, p.stock > 0 AS in_stock
                """ + filter.fromWhere + " ORDER BY " + orderBy(criteria) + " LIMIT :limit OFFSET :offset")
                .params(filter.params)
                .param("limit", criteria.limit())
                .param("offset", criteria.offset())
                .query(ProductSummary.class)
                .list();
        long matches = jdbc.sql(filter.with + "SELECT count(*) FROM (SELECT 1 " + filter.fromWhere
                        + " LIMIT " + (SearchPage.TOTAL_BOUND + 1) + ") AS m")
                .params(filter.params)
                .query(Long.class)
                .single();
        return SearchPage.of(matches, criteria.limit(), criteria.offset(), items);
    }

    /** Relevance without a query ranks nothing (every rank is NULL): it orders by id. */
    private static String orderBy(SearchCriteria criteria) {
        return switch (criteria.sort()) {
            case RELEVANCE -> criteria.query() == null ? "p.id" : "ts_rank_cd(p.search_vector, query) DESC, p.id";
            case PRICE_ASC -> "p.price_cents, p.id";
            case PRICE_DESC -> "p.price_cents DESC, p.id";
        };
    }

    /** The CTE, FROM and WHERE clauses shared by the page and the count, and their parameters. */
    private record Filter(String with, String fromWhere, Map<String, Object> params) {

        static Filter of(SearchCriteria c) {
            String with = "";
            String from = "FROM products p";
            List<String> where = new ArrayList<>();
            Map<String, Object> params = new HashMap<>();
            if (c.query() != null) {
                from += ", websearch_to_tsquery('english', :q) query";
                where.add("p.search_vector @@ query");
                params.put("q", c.query());
            }
            if (c.category() != null) {
                with = """
                        WITH RECURSIVE subtree(id) AS (
                            SELECT id FROM categories WHERE id = :category
                            UNION
                            SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id)
                        """;
                where.add("p.category_id IN (SELECT id FROM subtree)");
                params.put("category", c.category());
            }
            if (c.brand() != null) {
                where.add("p.brand = :brand");
                params.put("brand", c.brand());
            }
            if (c.minPrice() != null) {
                where.add("p.price_cents >= :minPrice");
                params.put("minPrice", c.minPrice());
            }
            if (c.maxPrice() != null) {
                where.add("p.price_cents <= :maxPrice");
                params.put("maxPrice", c.maxPrice());
            }
            if (c.inStock() != null) {
                where.add(c.inStock() ? "p.stock > 0" : "p.stock <= 0");
            }
            String fromWhere = where.isEmpty() ? from : from + " WHERE " + String.join(" AND ", where);
            return new Filter(with, fromWhere, params);
        }
    }
}
