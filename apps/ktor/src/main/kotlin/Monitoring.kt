// RULES.md §8: the request id (CallId), one JSON access-log line per request (CallLogging into
// Logback, whose logstash encoder writes the line: logback.xml), and /metrics (MicrometerMetrics
// into a Prometheus registry, with HikariCP's pool gauges and the JVM and process binders).
package dev.bakeoff.shop

import io.ktor.http.HttpHeaders
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.metrics.micrometer.MicrometerMetrics
import io.ktor.server.plugins.callid.CallId
import io.ktor.server.plugins.callid.callId
import io.ktor.server.plugins.calllogging.CallLogging
import io.ktor.server.plugins.calllogging.processingTimeMillis
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics
import io.micrometer.core.instrument.binder.system.ProcessorMetrics
import io.micrometer.core.instrument.config.MeterFilter
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig
import io.micrometer.prometheusmetrics.PrometheusConfig
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics
import kotlinx.serialization.json.JsonPrimitive
import org.slf4j.LoggerFactory
import java.time.Duration
import java.util.UUID

private val REQUEST_ID = Regex("[A-Za-z0-9._-]{1,128}")

/** The histogram's buckets: the contract's bounds, 5 ms to 10 s. */
private val BUCKETS =
    listOf(5L, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
        .map { Duration.ofMillis(it).toNanos().toDouble() }
        .toDoubleArray()

private fun <T> ApplicationCall.ifSent(value: ApplicationCall.() -> T): T? = if (response.status() != null) value() else null

fun Application.configureMonitoring(database: Database): PrometheusMeterRegistry {
    install(CallId) {
        retrieveFromHeader(HttpHeaders.XRequestId)
        verify { REQUEST_ID.matches(it) }
        generate { UUID.randomUUID().toString() }
        replyToHeader(HttpHeaders.XRequestId)
    }

    // The access log: logback.xml gives the "access" logger its own JSON layout built from these
    // MDC entries. CallLogging keeps the first value an entry gives for a call and asks before the
    // call runs too, so the entries that describe the response stay empty until it is sent.
    install(CallLogging) {
        logger = LoggerFactory.getLogger("access")
        disableDefaultColors()
        mdc("request_id") { it.callId }
        mdc("method") { it.request.local.method.value }
        mdc("status") { call ->
            call.response
                .status()
                ?.value
                ?.toString()
        }
        mdc("route") { call -> call.ifSent { routeTemplate()?.let { JsonPrimitive(it).toString() } ?: "null" } }
        mdc("duration_ms") { call -> call.ifSent { processingTimeMillis().toString() } }
        mdc("level") { call -> call.ifSent { if (response.status()!!.value >= 500) "error" else "info" } }
        mdc("error") { call -> call.ifSent { attributes.getOrNull(ServerErrorKey) } }
        format { call -> "${call.request.local.method.value} ${call.request.local.uri} ${call.response.status()?.value}" }
    }

    val registry = PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
    // The plugin tags every request with the server's own address, the same on every request.
    registry.config().meterFilter(MeterFilter.ignoreTags("address"))
    // process_cpu_seconds_total and process_resident_memory_bytes: Micrometer has no resident set
    // gauge, so the Prometheus client's own process collector writes them into the same registry.
    ProcessMetrics.builder().register(registry.prometheusRegistry)
    database.dataSource.metricRegistry = registry
    Gauge
        .builder("db.pool.requests.waiting", database.waiting) { it.get().toDouble() }
        .description("Requests waiting for a database connection: for a JDBC thread or inside the pool")
        .register(registry)

    install(MicrometerMetrics) {
        this.registry = registry
        meterBinders = listOf(JvmMemoryMetrics(), JvmGcMetrics(), JvmThreadMetrics(), ProcessorMetrics())
        distributionStatisticConfig = DistributionStatisticConfig.builder().serviceLevelObjectives(*BUCKETS).build()
        transformRoute { it.template() }
    }
    return registry
}
