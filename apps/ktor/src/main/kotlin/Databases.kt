// PostgreSQL through HikariCP and the JDBC driver. JDBC blocks, so every use runs on
// Dispatchers.IO limited to the pool's size: the event loops and the call group never block, and
// no more threads wait on JDBC than there are connections to lend.
package dev.bakeoff.shop

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationStopped
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.sql.Connection
import java.sql.SQLException
import java.sql.SQLTransientConnectionException
import java.util.concurrent.atomic.AtomicInteger

class Database(
    settings: Settings,
) {
    val dataSource =
        HikariDataSource(
            HikariConfig().apply {
                poolName = "shop"
                jdbcUrl = settings.jdbcUrl
                username = settings.dbUser
                password = settings.dbPassword
                maximumPoolSize = settings.dbPoolSize
                // Start without the database (RULES.md §7): connections open in the background
                // and on first use; a request that gets none within 4 s is a 503.
                initializationFailTimeout = -1
                connectionTimeout = 4_000
                validationTimeout = 1_000
                addDataSourceProperty("connectTimeout", "3")
                addDataSourceProperty("ApplicationName", "bakeoff-ktor")
            },
        )

    private val dispatcher = Dispatchers.IO.limitedParallelism(settings.dbPoolSize)

    /** Requests waiting for a connection: queued for a JDBC thread or inside the pool. */
    val waiting = AtomicInteger()

    /** Runs [block] with a connection from the pool, off the event loop. */
    suspend fun <T> withConnection(block: (Connection) -> T): T {
        waiting.incrementAndGet()
        var counted = true
        try {
            return withContext(dispatcher) {
                val connection =
                    try {
                        dataSource.connection
                    } finally {
                        waiting.decrementAndGet()
                        counted = false
                    }
                connection.use(block)
            }
        } finally {
            if (counted) waiting.decrementAndGet()
        }
    }

    /** Runs [block] in one transaction: committed when it returns, rolled back when it throws. */
    suspend fun <T> transaction(block: (Connection) -> T): T =
        withConnection { connection ->
            connection.autoCommit = false
            try {
                block(connection).also { connection.commit() }
            } catch (e: Throwable) {
                connection.rollback()
                throw e
            }
        }

    fun close() = dataSource.close()
}

/** The database does not answer: no connection in time, or the connection broke (SQLSTATE 08, 57P0x). */
fun Throwable.isDatabaseUnavailable(): Boolean =
    this is SQLTransientConnectionException ||
        (this is SQLException && sqlState.orEmpty().let { it.startsWith("08") || it.startsWith("57P0") })

fun Application.configureDatabases(settings: Settings): Database {
    val database = Database(settings)
    monitor.subscribe(ApplicationStopped) { database.close() }
    return database
}

/** `SELECT 1` within the contract's 5 s: 4 s for a connection, 1 s for the answer. */
suspend fun Database.ping() =
    withConnection { c ->
        c.createStatement().use { st ->
            st.queryTimeout = 1
            st.execute("SELECT 1")
        }
    }
