// Products: one by id, and the search of RULES.md §3. The search statement holds only the filters
// given (the planner picks a plan per combination) and returns the canonical SQL's rows in its order.
package dev.bakeoff.shop

import io.ktor.http.Parameters
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import java.sql.Connection
import java.sql.PreparedStatement
import java.sql.ResultSet

@Serializable
data class Product(
    val id: Int,
    val sku: String,
    val name: String,
    val description: String,
    val brand: String,
    @SerialName("category_id") val categoryId: Int,
    @SerialName("price_cents") val priceCents: Int,
    val stock: Int,
    @SerialName("in_stock") val inStock: Boolean,
)

@Serializable
data class ProductSummary(
    val id: Int,
    val sku: String,
    val name: String,
    val brand: String,
    @SerialName("category_id") val categoryId: Int,
    @SerialName("price_cents") val priceCents: Int,
    @SerialName("in_stock") val inStock: Boolean,
)

@Serializable
data class SearchPage(
    val total: Int,
    @SerialName("total_exact") val totalExact: Boolean,
    val limit: Int,
    val offset: Int,
    val items: List<ProductSummary>,
)

enum class Sort { RELEVANCE, PRICE_ASC, PRICE_DESC }

/** The search's parameters, checked as RULES.md §2 and §3 say: anything wrong is a 422. */
data class SearchQuery(
    val q: String?,
    val category: Int?,
    val brand: String?,
    val minPrice: Int?,
    val maxPrice: Int?,
    val inStock: Boolean?,
    val sort: Sort,
    val limit: Int,
    val offset: Int,
) {
    companion object {
        private val INTEGER = Regex("-?[0-9]+")
        private val BLANK = Regex("[ \t\r\n]*")

        fun from(params: Parameters): SearchQuery {
            fun last(name: String) = params.getAll(name)?.lastOrNull()

            fun int(
                name: String,
                range: IntRange,
            ): Int? =
                last(name)?.let { text ->
                    text.takeIf { INTEGER.matches(it) }?.toIntOrNull()?.takeIf { it in range }
                        ?: throw ValidationFailedException("$name must be an integer in $range")
                }

            fun text(name: String): String? =
                last(name)?.also { if (!it.isStorableText()) throw ValidationFailedException("$name holds U+0000 or a lone surrogate") }

            val q = text("q")?.takeUnless { BLANK.matches(it) }
            if (q != null && q.codePointCount(0, q.length) > 200) throw ValidationFailedException("q is longer than 200 characters")
            val inStock =
                when (val v = last("in_stock")) {
                    null -> null
                    "true" -> true
                    "false" -> false
                    else -> throw ValidationFailedException("in_stock must be true or false, not '$v'")
                }
            val sort =
                when (val v = last("sort")) {
                    null -> if (q != null) Sort.RELEVANCE else Sort.PRICE_ASC
                    "relevance" -> Sort.RELEVANCE
                    "price_asc" -> Sort.PRICE_ASC
                    "price_desc" -> Sort.PRICE_DESC
                    else -> throw ValidationFailedException("sort must be relevance, price_asc or price_desc, not '$v'")
                }
            return SearchQuery(
                q = q,
                category = int("category", 1..Int.MAX_VALUE),
                brand = text("brand")?.takeIf { it.isNotEmpty() },
                minPrice = int("min_price", 0..Int.MAX_VALUE),
                maxPrice = int("max_price", 0..Int.MAX_VALUE),
                inStock = inStock,
                sort = sort,
                limit = int("limit", 1..100) ?: 20,
                offset = int("offset", 0..10_000) ?: 0,
            )
        }
    }
}

private const val TOTAL_BOUND = 1000

class ProductRepository(
    private val database: Database,
) {
    suspend fun find(id: Int): Product? =
        database.withConnection { c ->
            c
                .prepareStatement(
                    "SELECT id, sku, name, description, brand, category_id, price_cents, stock FROM products WHERE id = ?",
                ).use { st ->
                    st.setInt(1, id)
                    st.executeQuery().use { rs ->
                        if (!rs.next()) return@withConnection null
                        val stock = rs.getInt("stock")
                        Product(
                            rs.getInt("id"),
                            rs.getString("sku"),
                            rs.getString("name"),
                            rs.getString("description"),
                            rs.getString("brand"),
                            rs.getInt("category_id"),
                            rs.getInt("price_cents"),
                            stock,
                            stock > 0,
                        )
                    }
                }
        }

    suspend fun search(query: SearchQuery): SearchPage =
        database.withConnection { c ->
            val where = Filters(query)
            val order =
                when (query.sort) {
                    Sort.RELEVANCE -> {
                        if (query.q != null) "ts_rank_cd(p.search_vector, websearch_to_tsquery('english', ?)) DESC, p.id" else "p.id"
                    }

                    Sort.PRICE_ASC -> {
                        "p.price_cents ASC, p.id"
                    }

                    Sort.PRICE_DESC -> {
                        "p.price_cents DESC, p.id"
                    }
                }
            val items =
                c.prepare(
                    "${where.cte}SELECT p.id, p.sku, p.name, p.brand, p.category_id, p.price_cents, p.stock > 0 AS in_stock " +
                        "FROM products p ${where.sql} ORDER BY $order LIMIT ? OFFSET ?",
                    where.args + listOfNotNull(query.q.takeIf { query.sort == Sort.RELEVANCE }) + query.limit + query.offset,
                ) { rs -> rs.toSummaries() }
            val matches =
                c.prepare(
                    "${where.cte}SELECT count(*) FROM (SELECT 1 FROM products p ${where.sql} LIMIT ${TOTAL_BOUND + 1}) AS m",
                    where.args,
                ) { rs -> rs.next().let { rs.getInt(1) } }
            SearchPage(minOf(matches, TOTAL_BOUND), matches <= TOTAL_BOUND, query.limit, query.offset, items)
        }

    /** The WHERE clause with only the filters given, and the category subtree when one is. */
    private class Filters(
        query: SearchQuery,
    ) {
        val cte =
            if (query.category == null) {
                ""
            } else {
                "WITH RECURSIVE subtree(id) AS (SELECT id FROM categories WHERE id = ? " +
                    "UNION SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id) "
            }
        val sql: String
        val args: List<Any>

        init {
            val conditions = mutableListOf<String>()
            val values = mutableListOf<Any>()
            query.category?.let { values += it }
            query.q?.let {
                conditions += "p.search_vector @@ websearch_to_tsquery('english', ?)"
                values += it
            }
            query.category?.let { conditions += "p.category_id IN (SELECT id FROM subtree)" }
            query.brand?.let {
                conditions += "p.brand = ?"
                values += it
            }
            query.minPrice?.let {
                conditions += "p.price_cents >= ?"
                values += it
            }
            query.maxPrice?.let {
                conditions += "p.price_cents <= ?"
                values += it
            }
            query.inStock?.let { conditions += if (it) "p.stock > 0" else "p.stock = 0" }
            sql = if (conditions.isEmpty()) "" else conditions.joinToString(" AND ", prefix = "WHERE ")
            args = values
        }
    }

    private fun ResultSet.toSummaries(): List<ProductSummary> =
        buildList {
            while (next()) {
                add(
                    ProductSummary(
                        getInt("id"),
                        getString("sku"),
                        getString("name"),
                        getString("brand"),
                        getInt("category_id"),
                        getInt("price_cents"),
                        getBoolean("in_stock"),
                    ),
                )
            }
        }
}

/** Runs a query with positional arguments and maps its result. */
fun <T> Connection.prepare(
    sql: String,
    args: List<Any>,
    map: (ResultSet) -> T,
): T = prepareStatement(sql).use { st -> st.bind(args).executeQuery().use(map) }

fun PreparedStatement.bind(args: List<Any>): PreparedStatement {
    args.forEachIndexed { i, arg -> setObject(i + 1, arg) }
    return this
}
