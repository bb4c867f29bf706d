// Checkout and orders (RULES.md §5, §6): the idempotency key looked up before and after the one
// transaction that locks the cart, then its lines' products in product-id order, checks stock,
// and writes the order at the prices it read.
package dev.bakeoff.shop

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import java.sql.Connection
import java.sql.SQLException
import java.util.UUID

@Serializable
data class Order(
    val id: Long,
    @SerialName("cart_id") val cartId: String,
    val email: String,
    val status: String,
    val items: List<Line>,
    @SerialName("subtotal_cents") val subtotalCents: Long,
    @SerialName("tax_cents") val taxCents: Long,
    @SerialName("total_cents") val totalCents: Long,
    @SerialName("created_at") val createdAt: String,
)

private const val UNIQUE_VIOLATION = "23505"
private const val CREATED_AT = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/** A checked-out cart found inside the transaction: roll back, then look at the key again. */
private class CheckedOutInTransaction : RuntimeException()

class OrderRepository(
    private val database: Database,
) {
    suspend fun find(id: Long): Order? = database.withConnection { it.readOrder(id) }

    /** The order and whether this call created it (201) or repeated an earlier one (200). */
    suspend fun checkout(
        cartId: UUID,
        email: String,
        key: String?,
    ): Pair<Order, Boolean> {
        if (key != null) repeatOf(key, cartId)?.let { return it to false }
        try {
            return database.transaction { c -> c.placeOrder(cartId, email, key) } to true
        } catch (e: CheckedOutInTransaction) {
            if (key != null) repeatOf(key, cartId)?.let { return it to false }
            throw CartCheckedOutException()
        } catch (e: SQLException) {
            if (key == null || e.sqlState != UNIQUE_VIOLATION) throw e
            return (repeatOf(key, cartId) ?: throw CartCheckedOutException()) to false
        }
    }

    /** The order that already holds [key]: it, when it is the same cart's; else the key is taken (422). */
    private suspend fun repeatOf(
        key: String,
        cartId: UUID,
    ): Order? =
        database
            .withConnection { c ->
                val id =
                    c.prepare(
                        "SELECT id FROM orders WHERE idempotency_key = ?",
                        listOf(key),
                    ) { if (it.next()) it.getLong(1) else null }
                id?.let { c.readOrder(it) }
            }?.also { if (it.cartId != cartId.toString()) throw ValidationFailedException("the Idempotency-Key belongs to another cart") }

    private fun Connection.placeOrder(
        cartId: UUID,
        email: String,
        key: String?,
    ): Order {
        val checkedOut =
            prepare("SELECT checked_out_at IS NOT NULL FROM carts WHERE id = ? FOR NO KEY UPDATE", listOf(cartId)) { rs ->
                if (rs.next()) rs.getBoolean(1) else throw NotFoundException("no such cart")
            }
        if (checkedOut) throw CheckedOutInTransaction()

        data class Row(
            val line: Line,
            val stock: Int,
        )
        val rows =
            prepare(
                "SELECT ci.product_id, p.name, p.price_cents, ci.quantity, p.stock FROM cart_items ci " +
                    "JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = ? " +
                    "ORDER BY ci.product_id FOR NO KEY UPDATE OF p",
                listOf(cartId),
            ) { rs ->
                buildList {
                    while (rs.next()) {
                        val price = rs.getInt(3)
                        val quantity = rs.getInt(4)
                        add(Row(Line(rs.getInt(1), rs.getString(2), price, quantity, price.toLong() * quantity), rs.getInt(5)))
                    }
                }
            }
        if (rows.isEmpty()) throw ValidationFailedException("the cart is empty")
        val short = rows.filter { it.line.quantity > it.stock }.map { it.line.productId }
        if (short.isNotEmpty()) throw OutOfStockException(short)

        prepareStatement("UPDATE products SET stock = stock - ? WHERE id = ?").use { st ->
            rows.forEach {
                st.setInt(1, it.line.quantity)
                st.setInt(2, it.line.productId)
                st.addBatch()
            }
            st.executeBatch()
        }
        prepareStatement("UPDATE carts SET checked_out_at = now() WHERE id = ?").use { st -> st.bind(listOf(cartId)).executeUpdate() }
        val subtotal = rows.sumOf { it.line.lineTotalCents }
        val tax = (subtotal * 825 + 5000) / 10000
        val (orderId, createdAt) =
            prepareStatement(
                "INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents) " +
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id, $CREATED_AT",
            ).use { st ->
                st.setObject(1, cartId)
                st.setString(2, email)
                st.setString(3, key)
                st.setLong(4, subtotal)
                st.setLong(5, tax)
                st.setLong(6, subtotal + tax)
                st.executeQuery().use { rs -> rs.next().let { rs.getLong(1) to rs.getString(2) } }
            }
        prepareStatement("INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)").use { st ->
            rows.forEach {
                st.setLong(1, orderId)
                st.setInt(2, it.line.productId)
                st.setInt(3, it.line.quantity)
                st.setInt(4, it.line.unitPriceCents)
                st.addBatch()
            }
            st.executeBatch()
        }
        val lines = rows.map { it.line }
        return Order(orderId, cartId.toString(), email, "confirmed", lines, subtotal, tax, subtotal + tax, createdAt)
    }
}

/** The order as checkout answered it: its lines by product id, at the prices charged. */
fun Connection.readOrder(id: Long): Order? {
    val lines =
        prepare(
            "SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity FROM order_items oi " +
                "JOIN products p ON p.id = oi.product_id WHERE oi.order_id = ? ORDER BY oi.product_id",
            listOf(id),
        ) { rs ->
            buildList {
                while (rs.next()) {
                    val price = rs.getInt(3)
                    val quantity = rs.getInt(4)
                    add(Line(rs.getInt(1), rs.getString(2), price, quantity, price.toLong() * quantity))
                }
            }
        }
    return prepare(
        "SELECT id, cart_id, email, status, subtotal_cents, tax_cents, total_cents, $CREATED_AT FROM orders WHERE id = ?",
        listOf(id),
    ) { rs ->
        if (!rs.next()) return@prepare null
        Order(
            rs.getLong(1),
            rs.getObject(2).toString(),
            rs.getString(3),
            rs.getString(4),
            lines,
            rs.getLong(5),
            rs.getLong(6),
            rs.getLong(7),
            rs.getString(8),
        )
    }
}
