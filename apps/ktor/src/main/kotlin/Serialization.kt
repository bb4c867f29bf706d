// JSON in and out with kotlinx.serialization through ContentNegotiation, and the two serializers
// that hold request fields to the contract's JSON types (RULES.md §2): an integer field takes only
// a JSON number with an integral value, a text field only a JSON string. Anything else fails
// decoding, which ContentNegotiation reports as a BadRequestException (400).
package dev.bakeoff.shop

import io.ktor.serialization.kotlinx.json.json
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.plugins.contentnegotiation.ContentNegotiation
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.PrimitiveSerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonDecoder
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import java.math.BigDecimal

val ShopJson =
    Json {
        ignoreUnknownKeys = true
        explicitNulls = false
    }

fun Application.configureSerialization() {
    install(ContentNegotiation) { json(ShopJson) }
}

/**
 * A JSON number with an integral value (`3`, `3.0`, `3e0`). Values beyond 64 bits saturate, so
 * validation refuses them as out of range (422) rather than as the wrong type.
 */
object JsonIntegerSerializer : KSerializer<Long> {
    override val descriptor = PrimitiveSerialDescriptor("JsonInteger", PrimitiveKind.LONG)

    override fun deserialize(decoder: Decoder): Long {
        val element = (decoder as JsonDecoder).decodeJsonElement()
        val number =
            (element as? JsonPrimitive)
                ?.takeIf { !it.isString && it !is JsonNull }
                ?.content
                ?.toBigDecimalOrNull()
                ?.stripTrailingZeros()
                ?: throw SerializationException("expected a JSON number")
        if (number.scale() > 0) throw SerializationException("expected an integral number")
        return when {
            number.precision() - number.scale() > 19 -> if (number.signum() > 0) Long.MAX_VALUE else Long.MIN_VALUE
            else -> number.max(BigDecimal(Long.MIN_VALUE)).min(BigDecimal(Long.MAX_VALUE)).toLong()
        }
    }

    override fun serialize(
        encoder: Encoder,
        value: Long,
    ) = encoder.encodeLong(value)
}

/** A JSON string, and nothing else: no number or boolean turned into text. */
object JsonTextSerializer : KSerializer<String> {
    override val descriptor = PrimitiveSerialDescriptor("JsonText", PrimitiveKind.STRING)

    override fun deserialize(decoder: Decoder): String {
        val element = (decoder as JsonDecoder).decodeJsonElement()
        return (element as? JsonPrimitive)?.takeIf { it.isString }?.content
            ?: throw SerializationException("expected a JSON string")
    }

    override fun serialize(
        encoder: Encoder,
        value: String,
    ) = encoder.encodeString(value)
}
