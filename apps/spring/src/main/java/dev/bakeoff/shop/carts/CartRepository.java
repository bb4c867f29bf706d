package dev.bakeoff.shop.carts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Carts and their lines through Spring's {@link JdbcClient}. */
@Repository
public class CartRepository {

    private final JdbcClient jdbc;

    public CartRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UUID create() {
        return jdbc.sql("INSERT INTO carts DEFAULT VALUES RETURNING id").query(UUID.class).single();
    }

    public boolean exists(UUID id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM carts WHERE id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /**
     * Locks the cart {@code FOR SHARE}, so that a concurrent checkout waits for this transaction
     * or this one for it; whether it is checked out, or empty when there is no such cart.
     */
    public Optional<Boolean> lockCheckedOutForShare(UUID id) {
        return jdbc.sql("SELECT checked_out_at IS NOT NULL FROM carts WHERE id = :id FOR SHARE")
                .param("id", id)
                .query(Boolean.class)
                .optional();
    }

    /**
     * Adds {@code quantity} to the product's line (insert or increase); false, changing nothing,
     * when the line would go above 100.
     */
    public boolean addToLine(UUID cartId, int productId, int quantity) {
        return jdbc.sql("""
                INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (:cart, :product, :quantity)
                ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity
                WHERE cart_items.quantity + excluded.quantity <= 100""")
                .param("cart", cartId)
                .param("product", productId)
                .param("quantity", quantity)
                .update() == 1;
    }

    /** The cart's lines at current product prices, by product id. */
    public List<Line> lines(UUID cartId) {
        return jdbc.sql("""
                SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
                       p.price_cents::bigint * ci.quantity AS line_total_cents
                FROM cart_items ci JOIN products p ON p.id = ci.product_id
                WHERE ci.cart_id = :cart
                ORDER BY ci.product_id""")
                .param("cart", cartId)
                .query(Line.class)
                .list();
    }
}
