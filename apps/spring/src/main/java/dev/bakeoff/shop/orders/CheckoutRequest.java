package dev.bakeoff.shop.orders;

import jakarta.validation.constraints.Pattern;

import dev.bakeoff.shop.web.PathIds;
import dev.bakeoff.shop.web.PlainText;

/** The body of {@code POST /checkout}. */
public record CheckoutRequest(
        @Pattern(regexp = PathIds.UUID_REGEX, message = "must be a UUID") String cartId,
        // openapi.yaml's pattern: exactly one @, something before it, a dot somewhere after it, no
        // U+0000; stored as sent.
        @Pattern(regexp = "[^@\\x00]+@[^@\\x00]*\\.[^@\\x00]*", message = "must be an email address")
        @PlainText(max = 254) String email) {
}
