// The rules of the body routes (RULES.md §1), in the order the contract gives them: a body over
// 102,400 bytes is 413 (from Content-Length before reading, else once the stream passes it), a
// media type other than JSON is 415, JSON nested deeper than 100 levels is 400. The body is read
// here, never more than a buffer past the limit, and handed to ContentNegotiation from memory.
package dev.bakeoff.shop

import io.ktor.http.ContentType
import io.ktor.http.charset
import io.ktor.server.application.createRouteScopedPlugin
import io.ktor.server.application.hooks.ReceiveRequestBytes
import io.ktor.server.plugins.BadRequestException
import io.ktor.server.plugins.PayloadTooLargeException
import io.ktor.server.plugins.UnsupportedMediaTypeException
import io.ktor.server.request.ApplicationRequest
import io.ktor.server.request.contentLength
import io.ktor.server.request.contentType
import io.ktor.server.request.receiveChannel
import io.ktor.util.AttributeKey
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.readAvailable
import java.io.ByteArrayOutputStream

const val MAX_BODY_BYTES = 102_400L
const val MAX_JSON_DEPTH = 100

private val CheckedBody = AttributeKey<ByteArray>("CheckedBody")

/** Installed on the routes that read a JSON body; the handler then receives it as usual. */
val JsonBodyLimits =
    createRouteScopedPlugin("JsonBodyLimits") {
        onCall { call ->
            val length = call.request.contentLength()
            if (length != null && length > MAX_BODY_BYTES) throw PayloadTooLargeException(MAX_BODY_BYTES)
            val body = call.request.receiveChannel().readAtMost(MAX_BODY_BYTES)
            call.request.requireJson()
            if (body.isEmpty()) throw BadRequestException("the body is empty")
            body.requireDepthAtMost(MAX_JSON_DEPTH)
            call.attributes.put(CheckedBody, body)
        }
        on(ReceiveRequestBytes) { call, body -> call.attributes.getOrNull(CheckedBody)?.let(::ByteReadChannel) ?: body }
    }

/** `application/json` in any case, with no charset or UTF-8: else 415. */
private fun ApplicationRequest.requireJson() {
    val type = runCatching { contentType() }.getOrNull()
    val utf8 = type?.parameter("charset") == null || runCatching { type.charset() }.getOrNull() == Charsets.UTF_8
    if (type == null || !type.match(ContentType.Application.Json) || !utf8) {
        throw UnsupportedMediaTypeException(type ?: ContentType.Any)
    }
}

/** Reads the body, never more than one buffer past [maxBytes]. */
private suspend fun ByteReadChannel.readAtMost(maxBytes: Long): ByteArray {
    val body = ByteArrayOutputStream()
    val buffer = ByteArray(8192)
    while (true) {
        val read = readAvailable(buffer, 0, buffer.size)
        if (read == -1) return body.toByteArray()
        if (body.size() + read > maxBytes) throw PayloadTooLargeException(maxBytes)
        body.write(buffer, 0, read)
    }
}

/** Counts bracket depth outside strings, without recursion. */
private fun ByteArray.requireDepthAtMost(maxDepth: Int) {
    var depth = 0
    var inString = false
    var escaped = false
    for (byte in this) {
        val c = byte.toInt().toChar()
        when {
            escaped -> {
                escaped = false
            }

            inString -> {
                if (c == '\\') {
                    escaped = true
                } else if (c == '"') {
                    inString = false
                }
            }

            c == '"' -> {
                inString = true
            }

            c == '[' || c == '{' -> {
                if (++depth > maxDepth) throw BadRequestException("JSON nested deeper than $maxDepth")
            }

            c == ']' || c == '}' -> {
                depth--
            }
        }
    }
}
