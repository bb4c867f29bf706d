package dev.bakeoff.shop.web;

import java.math.BigDecimal;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * A JSON integer as the contract defines it: a number with an integral value ({@code 3},
 * {@code 3.0}, {@code 3e0}). A fraction ({@code 3.5}), a string, a boolean, an array or an object
 * is a type error (400).
 *
 * <p>Jackson's own {@code Long} deserializer cannot say this: with {@code ACCEPT_FLOAT_AS_INT} on
 * it truncates 3.5 to 3, with it off it refuses 3.0 as well, and it refuses 1e30 as a malformed
 * value where the contract wants a range error (422). Here an integral value beyond 64 bits
 * saturates to {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE}, outside every field's range, so
 * Bean Validation refuses it like any other out-of-range value.
 */
final class JsonIntegerDeserializer extends StdScalarDeserializer<Long> {

    private static final BigDecimal MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    JsonIntegerDeserializer() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        BigDecimal value = p.getDecimalValue();
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            return ctxt.reportInputMismatch(this, "%s is not an integer", p.getString());
        }
        if (value.compareTo(MAX) > 0) {
            return Long.MAX_VALUE;
        }
        if (value.compareTo(MIN) < 0) {
            return Long.MIN_VALUE;
        }
        return value.longValueExact();
    }
}
