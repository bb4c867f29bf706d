// Every answer ≥ 400 is {"error": {"code", "message"}} (RULES.md §2). The app's own refusals are
// ApiExceptions; Ktor's own (a body too large, an unreadable body, a failed validation, no route)
// are mapped here to the contract's status and code. A 5xx leaves its cause for the access log.
package dev.bakeoff.shop

import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.plugins.BadRequestException
import io.ktor.server.plugins.PayloadTooLargeException
import io.ktor.server.plugins.UnsupportedMediaTypeException
import io.ktor.server.plugins.requestvalidation.RequestValidationException
import io.ktor.server.plugins.statuspages.StatusPages
import io.ktor.server.response.respond
import io.ktor.util.AttributeKey
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

@Serializable
data class ErrorBody(
    val error: ErrorDetail,
)

@Serializable
data class ErrorDetail(
    val code: String,
    val message: String,
    @SerialName("product_ids") val productIds: List<Int>? = null,
)

open class ApiException(
    val status: HttpStatusCode,
    val code: String,
    message: String,
    val productIds: List<Int>? = null,
) : RuntimeException(message)

class NotFoundException(
    message: String = "no such resource",
) : ApiException(HttpStatusCode.NotFound, "not_found", message)

class ValidationFailedException(
    message: String,
) : ApiException(HttpStatusCode.UnprocessableEntity, "validation_failed", message)

class CartCheckedOutException : ApiException(HttpStatusCode.Conflict, "cart_checked_out", "the cart is checked out")

class OutOfStockException(
    productIds: List<Int>,
) : ApiException(HttpStatusCode.Conflict, "out_of_stock", "not enough stock", productIds)

/** The cause of a 5xx answer, for the access log's `error` field (RULES.md §8). */
val ServerErrorKey = AttributeKey<String>("ServerError")

suspend fun ApplicationCall.respondError(
    status: HttpStatusCode,
    code: String,
    message: String,
    productIds: List<Int>? = null,
) = respond(status, ErrorBody(ErrorDetail(code, message, productIds)))

fun Application.configureStatusPages() {
    install(StatusPages) {
        exception<ApiException> { call, e -> call.respondError(e.status, e.code, e.message.orEmpty(), e.productIds) }
        exception<RequestValidationException> { call, e ->
            call.respondError(HttpStatusCode.UnprocessableEntity, "validation_failed", e.reasons.joinToString("; "))
        }
        exception<PayloadTooLargeException> { call, _ -> call.payloadTooLarge() }
        exception<UnsupportedMediaTypeException> { call, _ ->
            call.respondError(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "send application/json")
        }
        exception<BadRequestException> { call, e ->
            // ContentNegotiation wraps whatever stopped the body's decoding, the body limit too.
            if (generateSequence(e as Throwable) { it.cause }.any { it is PayloadTooLargeException }) {
                call.payloadTooLarge()
            } else {
                call.respondError(HttpStatusCode.BadRequest, "bad_request", e.rootMessage())
            }
        }
        exception<Throwable> { call, e ->
            if (e.isDatabaseUnavailable()) {
                call.attributes.put(ServerErrorKey, e.toString())
                call.respondError(HttpStatusCode.ServiceUnavailable, "unavailable", "the database does not answer")
            } else {
                call.attributes.put(ServerErrorKey, e.stackTraceToString())
                call.respondError(HttpStatusCode.InternalServerError, "internal", "internal error")
            }
        }
        status(HttpStatusCode.NotFound) { call, _ -> call.respondError(HttpStatusCode.NotFound, "not_found", "no such route") }
    }
}

private suspend fun ApplicationCall.payloadTooLarge() =
    respondError(HttpStatusCode.PayloadTooLarge, "payload_too_large", "the body is over $MAX_BODY_BYTES bytes")

private fun Throwable.rootMessage(): String = generateSequence(this) { it.cause }.last().message ?: "bad request"
