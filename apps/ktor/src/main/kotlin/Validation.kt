// The request bodies and their values (RULES.md §2, §4, §5), checked by Ktor's RequestValidation
// plugin as they are received: a failed rule is a RequestValidationException, answered 422.
package dev.bakeoff.shop

import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.plugins.requestvalidation.RequestValidation
import io.ktor.server.plugins.requestvalidation.ValidationResult
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

@Serializable
data class AddItemRequest(
    @SerialName("product_id") @Serializable(JsonIntegerSerializer::class) val productId: Long,
    @Serializable(JsonIntegerSerializer::class) val quantity: Long,
)

@Serializable
data class CheckoutRequest(
    @SerialName("cart_id") @Serializable(JsonTextSerializer::class) val cartId: String,
    @Serializable(JsonTextSerializer::class) val email: String,
)

val UUID_PATTERN = Regex("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
private val EMAIL_PATTERN = Regex("[^@\u0000]+@[^@\u0000]*\\.[^@\u0000]*")
private val IDEMPOTENCY_KEY_PATTERN = Regex("[\\x21-\\x7E]{1,64}")

fun Application.configureValidation() {
    install(RequestValidation) {
        validate<AddItemRequest> { body ->
            when {
                body.productId !in 1..Int.MAX_VALUE -> ValidationResult.Invalid("product_id must be 1 to ${Int.MAX_VALUE}")
                body.quantity !in 1..100 -> ValidationResult.Invalid("quantity must be 1 to 100")
                else -> ValidationResult.Valid
            }
        }
        validate<CheckoutRequest> { body ->
            when {
                !UUID_PATTERN.matches(body.cartId) -> ValidationResult.Invalid("cart_id must be a UUID")
                !isValidEmail(body.email) -> ValidationResult.Invalid("email must be an address of at most 254 characters")
                else -> ValidationResult.Valid
            }
        }
    }
}

fun isValidEmail(email: String) = EMAIL_PATTERN.matches(email) && email.codePointCount(0, email.length) <= 254 && email.isStorableText()

fun isValidIdempotencyKey(key: String) = IDEMPOTENCY_KEY_PATTERN.matches(key)

/** PostgreSQL text holds neither U+0000 nor a lone surrogate. */
fun String.isStorableText(): Boolean {
    var i = 0
    while (i < length) {
        val c = this[i]
        when {
            c == '\u0000' -> return false
            c.isHighSurrogate() && i + 1 < length && this[i + 1].isLowSurrogate() -> i++
            c.isSurrogate() -> return false
        }
        i++
    }
    return true
}
