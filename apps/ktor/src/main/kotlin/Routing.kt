// The routes of apps/contract/openapi.yaml. Each path declares its methods and answers any other
// with 405 and Allow (RULES.md §1); a path id of the wrong form matches no route, so it is a 404
// whatever the method. The route template (`/carts/{id}/items`) labels the access log and metrics.
package dev.bakeoff.shop

import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.parametersOf
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.request.header
import io.ktor.server.request.receive
import io.ktor.server.response.header
import io.ktor.server.response.respond
import io.ktor.server.response.respondText
import io.ktor.server.routing.PathSegmentConstantRouteSelector
import io.ktor.server.routing.Route
import io.ktor.server.routing.RouteSelector
import io.ktor.server.routing.RouteSelectorEvaluation
import io.ktor.server.routing.RoutingNode
import io.ktor.server.routing.RoutingResolveContext
import io.ktor.server.routing.RoutingRoot
import io.ktor.server.routing.get
import io.ktor.server.routing.method
import io.ktor.server.routing.post
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.util.AttributeKey
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry
import kotlinx.serialization.Serializable
import java.util.UUID

@Serializable
data class Health(
    val status: String,
)

fun Application.configureRouting(
    database: Database,
    metrics: PrometheusMeterRegistry,
) {
    val products = ProductRepository(database)
    val carts = CartRepository(database)
    val orders = OrderRepository(database)
    monitor.subscribe(RoutingRoot.RoutingCallStarted) { it.attributes.put(RouteTemplateKey, it.route.template()) }

    routing {
        route("/health") {
            get {
                database.ping()
                call.respond(Health("ok"))
            }
            allow(HttpMethod.Get)
        }
        route("/metrics") {
            get {
                val openMetrics =
                    call.request
                        .header(HttpHeaders.Accept)
                        .orEmpty()
                        .contains("application/openmetrics-text")
                val type = if (openMetrics) OPENMETRICS else PROMETHEUS_TEXT
                call.respondText(metrics.scrape(type), ContentType.parse(type))
            }
            allow(HttpMethod.Get)
        }
        route("/products") {
            route("/search") {
                get { call.respond(products.search(SearchQuery.from(call.request.queryParameters))) }
                allow(HttpMethod.Get)
            }
            id("id", ::parseProductId) {
                get { call.respond(products.find(parseProductId(call.id())!!) ?: throw NotFoundException()) }
                allow(HttpMethod.Get)
            }
        }
        route("/carts") {
            post { call.respond(HttpStatusCode.Created, carts.create()) }
            allow(HttpMethod.Post)
            id("id", ::parseCartId) {
                get { call.respond(carts.find(parseCartId(call.id())!!) ?: throw NotFoundException()) }
                allow(HttpMethod.Get)
                route("/items") {
                    method(HttpMethod.Post) {
                        install(JsonBodyLimits)
                        handle {
                            val request = call.receive<AddItemRequest>()
                            call.respond(carts.addItem(parseCartId(call.id())!!, request.productId.toInt(), request.quantity.toInt()))
                        }
                    }
                    allow(HttpMethod.Post)
                }
            }
        }
        route("/checkout") {
            method(HttpMethod.Post) {
                install(JsonBodyLimits)
                handle {
                    val request = call.receive<CheckoutRequest>()
                    val key =
                        call.request.headers
                            .getAll("Idempotency-Key")
                            ?.lastOrNull()
                    if (key != null && !isValidIdempotencyKey(key)) {
                        throw ValidationFailedException("Idempotency-Key must be 1 to 64 visible ASCII characters")
                    }
                    val (order, created) = orders.checkout(UUID.fromString(request.cartId), request.email, key)
                    call.respond(if (created) HttpStatusCode.Created else HttpStatusCode.OK, order)
                }
            }
            allow(HttpMethod.Post)
        }
        route("/orders") {
            id("id", ::parseOrderId) {
                get { call.respond(orders.find(parseOrderId(call.id())!!) ?: throw NotFoundException()) }
                allow(HttpMethod.Get)
            }
        }
    }
}

private const val PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"
private const val OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"

/** Any method the path does not declare: 405 with the declared ones in Allow. */
private fun Route.allow(vararg methods: HttpMethod) =
    handle {
        call.response.header(HttpHeaders.Allow, methods.joinToString(", ") { it.value })
        call.respondError(HttpStatusCode.MethodNotAllowed, "method_not_allowed", "allowed: ${methods.joinToString { it.value }}")
    }

private fun ApplicationCall.id(): String = parameters["id"]!!

fun parseProductId(text: String): Int? = text.takeIf { PRODUCT_ID.matches(it) }?.toIntOrNull()

fun parseOrderId(text: String): Long? = text.takeIf { ORDER_ID.matches(it) }?.toLongOrNull()

fun parseCartId(text: String): UUID? = text.takeIf { UUID_PATTERN.matches(it) }?.let(UUID::fromString)

private val PRODUCT_ID = Regex("[1-9][0-9]{0,9}")
private val ORDER_ID = Regex("[1-9][0-9]{0,18}")

/** A path segment that names a resource only in the form [parse] accepts; any other text matches no route. */
private class IdSegmentSelector(
    val name: String,
    val parse: (String) -> Any?,
) : RouteSelector() {
    override suspend fun evaluate(
        context: RoutingResolveContext,
        segmentIndex: Int,
    ): RouteSelectorEvaluation {
        val segment = context.segments.getOrNull(segmentIndex) ?: return RouteSelectorEvaluation.FailedPath
        if (parse(segment) == null) return RouteSelectorEvaluation.FailedPath
        return RouteSelectorEvaluation.Success(RouteSelectorEvaluation.qualityPathParameter, parametersOf(name, segment), 1)
    }

    override fun toString() = "{$name}"
}

private fun Route.id(
    name: String,
    parse: (String) -> Any?,
    build: Route.() -> Unit,
): Route = createChild(IdSegmentSelector(name, parse)).apply(build)

val RouteTemplateKey = AttributeKey<String>("RouteTemplate")

/** The route as openapi.yaml spells it, `/carts/{id}/items`, or null when no route matched. */
fun ApplicationCall.routeTemplate(): String? = attributes.getOrNull(RouteTemplateKey)

fun RoutingNode.template(): String =
    generateSequence(this) { it.parent }
        .mapNotNull {
            when (val selector = it.selector) {
                is PathSegmentConstantRouteSelector -> selector.value
                is IdSegmentSelector -> "{${selector.name}}"
                else -> null
            }
        }.toList()
        .asReversed()
        .joinToString("/", prefix = "/")
