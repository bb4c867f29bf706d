// The entry point: reads the runtime settings (RULES.md §7), starts Netty sized from them, and
// installs the application's plugins and routes in the order Ktor's project generator lays out.
package dev.bakeoff.shop

import io.ktor.server.application.Application
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty

fun main() {
    val settings = Settings.fromEnvironment()
    embeddedServer(
        Netty,
        configure = {
            connector { port = settings.port }
            // One JVM: WORKERS (default: the CPUs the container is given) sizes the event loops
            // that read and write connections and the group that runs the calls.
            connectionGroupSize = 1
            workerGroupSize = settings.workers
            callGroupSize = settings.workers
            // SIGTERM: stop accepting, let calls in flight finish for up to 7 s, stop by 9 s.
            shutdownGracePeriod = 7_000
            shutdownTimeout = 9_000
        },
    ) {
        module(settings)
    }.start(wait = true)
}

fun Application.module(settings: Settings) {
    val database = configureDatabases(settings)
    val metrics = configureMonitoring(database)
    configureSerialization()
    configureValidation()
    configureStatusPages()
    configureRouting(database, metrics)
}
