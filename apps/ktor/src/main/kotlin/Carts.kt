// Carts (RULES.md §4): created empty, read at current prices, added to under a FOR SHARE lock so
// that a concurrent checkout waits for the add or the add for the checkout.
package dev.bakeoff.shop

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import java.sql.Connection
import java.util.UUID

@Serializable
data class Line(
    @SerialName("product_id") val productId: Int,
    val name: String,
    @SerialName("unit_price_cents") val unitPriceCents: Int,
    val quantity: Int,
    @SerialName("line_total_cents") val lineTotalCents: Long,
)

@Serializable
data class Cart(
    val id: String,
    val items: List<Line>,
    @SerialName("subtotal_cents") val subtotalCents: Long,
)

class CartRepository(
    private val database: Database,
) {
    suspend fun create(): Cart =
        database.withConnection { c ->
            val id =
                c.prepare(
                    "INSERT INTO carts DEFAULT VALUES RETURNING id",
                    emptyList(),
                ) { rs -> rs.next().let { rs.getObject(1) as UUID } }
            Cart(id.toString(), emptyList(), 0)
        }

    suspend fun find(id: UUID): Cart? =
        database.withConnection { c ->
            val exists = c.prepare("SELECT 1 FROM carts WHERE id = ?", listOf(id)) { it.next() }
            if (exists) c.readCart(id) else null
        }

    suspend fun addItem(
        cartId: UUID,
        productId: Int,
        quantity: Int,
    ): Cart =
        database.transaction { c ->
            val checkedOut =
                c.prepare("SELECT checked_out_at IS NOT NULL FROM carts WHERE id = ? FOR SHARE", listOf(cartId)) { rs ->
                    if (rs.next()) rs.getBoolean(1) else throw NotFoundException("no such cart")
                }
            if (checkedOut) throw CartCheckedOutException()
            val productExists = c.prepare("SELECT 1 FROM products WHERE id = ?", listOf(productId)) { it.next() }
            if (!productExists) throw NotFoundException("no such product")
            val added =
                c.prepare(
                    "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, ?) " +
                        "ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity " +
                        "WHERE cart_items.quantity + EXCLUDED.quantity <= 100 RETURNING quantity",
                    listOf(cartId, productId, quantity),
                ) { it.next() }
            if (!added) throw ValidationFailedException("a line holds at most 100 of a product")
            c.readCart(cartId)
        }
}

/** The cart's lines at the products' current prices, by product id. */
fun Connection.readCart(id: UUID): Cart {
    val lines =
        prepare(
            "SELECT ci.product_id, p.name, p.price_cents, ci.quantity FROM cart_items ci " +
                "JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = ? ORDER BY ci.product_id",
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
    return Cart(id.toString(), lines, lines.sumOf { it.lineTotalCents })
}
