// The environment the contract defines (RULES.md §7), read once at startup.
package dev.bakeoff.shop

import java.net.URI
import java.net.URLDecoder

data class Settings(
    val jdbcUrl: String,
    val dbUser: String,
    val dbPassword: String,
    val port: Int,
    /** Netty worker and call threads; the CPUs the JVM sees unless WORKERS says otherwise. */
    val workers: Int,
    /** The one pool's maximum size, and the threads that may run JDBC at once. */
    val dbPoolSize: Int,
) {
    companion object {
        fun fromEnvironment(env: Map<String, String> = System.getenv()): Settings {
            val url = env["DATABASE_URL"] ?: error("DATABASE_URL is required: postgres://user:pass@host:port/db")
            val uri = URI(url)
            val (user, password) = (uri.rawUserInfo ?: ":").split(":", limit = 2).map(::decode) + listOf("")
            val port = if (uri.port == -1) 5432 else uri.port
            return Settings(
                jdbcUrl = "jdbc:postgresql://${uri.host}:$port${uri.rawPath}",
                dbUser = user,
                dbPassword = password,
                port = env.positiveInt("PORT") ?: 8080,
                workers = env.positiveInt("WORKERS") ?: Runtime.getRuntime().availableProcessors(),
                dbPoolSize = env.positiveInt("DB_POOL_SIZE") ?: 10,
            )
        }

        private fun decode(part: String) = URLDecoder.decode(part, Charsets.UTF_8)

        private fun Map<String, String>.positiveInt(name: String): Int? =
            get(name)?.takeIf { it.isNotBlank() }?.let {
                it.trim().toIntOrNull()?.takeIf { n -> n > 0 } ?: error("$name must be a positive integer, not '$it'")
            }
    }
}
