package dev.bakeoff.shop.orders;

import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.bakeoff.shop.carts.Line;

/**
 * Orders through Spring's {@link JdbcClient}, including the row locks of checkout (RULES.md §5),
 * which is why this is SQL and not a mapped entity.
 */
@Repository
public class OrderRepository {

    /** {@code created_at} printed by PostgreSQL, so that every app prints it alike. */
    private static final String ORDER_COLUMNS = """
            SELECT id, cart_id, email, status, subtotal_cents, tax_cents, total_cents,
                   to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at
            FROM orders""";

    private final JdbcClient jdbc;

    public OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An order row without its lines. */
    record Header(long id, UUID cartId, String email, String status, long subtotalCents, long taxCents,
            long totalCents, String createdAt) {

        Order with(List<Line> items) {
            return new Order(id, cartId, email, status, items, subtotalCents, taxCents, totalCents, createdAt);
        }
    }

    /** A cart line with the product's price and stock, as checkout reads it. */
    record StockedLine(int productId, String name, int unitPriceCents, int quantity, int stock) {

        Line line() {
            return new Line(productId, name, unitPriceCents, quantity, (long) unitPriceCents * quantity);
        }
    }

    public Optional<Order> findById(long id) {
        return jdbc.sql(ORDER_COLUMNS + " WHERE id = :id").param("id", id)
                .query(Header.class).optional()
                .map(header -> header.with(lines(header.id())));
    }

    public Optional<Order> findByIdempotencyKey(String key) {
        return jdbc.sql(ORDER_COLUMNS + " WHERE idempotency_key = :key").param("key", key)
                .query(Header.class).optional()
                .map(header -> header.with(lines(header.id())));
    }

    private List<Line> lines(long orderId) {
        return jdbc.sql("""
                SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity,
                       oi.unit_price_cents::bigint * oi.quantity AS line_total_cents
                FROM order_items oi JOIN products p ON p.id = oi.product_id
                WHERE oi.order_id = :order
                ORDER BY oi.product_id""")
                .param("order", orderId)
                .query(Line.class)
                .list();
    }

    /** Locks the cart against every other checkout and add; whether it is checked out, or empty if unknown. */
    Optional<Boolean> lockCart(UUID cartId) {
        return jdbc.sql("SELECT checked_out_at IS NOT NULL FROM carts WHERE id = :cart FOR NO KEY UPDATE")
                .param("cart", cartId)
                .query(Boolean.class)
                .optional();
    }

    /**
     * The cart's lines, locking their products in product id order: one lock order for every
     * checkout, so no deadlocks; {@code NO KEY} so that adds to other carts are not blocked.
     */
    List<StockedLine> lockLines(UUID cartId) {
        return jdbc.sql("""
                SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity, p.stock
                FROM cart_items ci JOIN products p ON p.id = ci.product_id
                WHERE ci.cart_id = :cart
                ORDER BY ci.product_id
                FOR NO KEY UPDATE OF p""")
                .param("cart", cartId)
                .query(StockedLine.class)
                .list();
    }

    void takeStock(UUID cartId) {
        jdbc.sql("""
                UPDATE products p SET stock = p.stock - ci.quantity
                FROM cart_items ci WHERE ci.cart_id = :cart AND p.id = ci.product_id""")
                .param("cart", cartId)
                .update();
    }

    void markCheckedOut(UUID cartId) {
        jdbc.sql("UPDATE carts SET checked_out_at = now() WHERE id = :cart").param("cart", cartId).update();
    }

    /** Inserts the order and its lines; the order row as stored. */
    Header insert(UUID cartId, String email, String key, long subtotal, long tax) {
        Header header = jdbc.sql("""
                INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents)
                VALUES (:cart, :email, :key, :subtotal, :tax, :total)
                RETURNING id, cart_id, email, status, subtotal_cents, tax_cents, total_cents,
                          to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at""")
                .param("cart", cartId)
                .param("email", email)
                .param("key", key, Types.VARCHAR)
                .param("subtotal", subtotal)
                .param("tax", tax)
                .param("total", subtotal + tax)
                .query(Header.class)
                .single();
        // The products are locked by this transaction: their prices are the ones just read.
        jdbc.sql("""
                INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
                SELECT :order, ci.product_id, ci.quantity, p.price_cents
                FROM cart_items ci JOIN products p ON p.id = ci.product_id
                WHERE ci.cart_id = :cart""")
                .param("order", header.id())
                .param("cart", cartId)
                .update();
        return header;
    }
}
