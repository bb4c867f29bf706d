package dev.bakeoff.shop.web;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Path ids (RULES.md §1): decimal digits without sign or leading zero, or a UUID in either case.
 * Text of another form names no resource, so it is the same 404 as an unknown id. The patterns
 * are also the routes' path variable patterns, so that such a path is unknown whatever the method
 * (404 before 405); an id beyond its type's range is refused here, and by {@link #inRange} before
 * a 405.
 */
public final class PathIds {

    /** A UUID, 8-4-4-4-12 hex digits in either case; also used by {@code @Pattern} on body fields. */
    public static final String UUID_REGEX =
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /** A product id: openapi.yaml's pattern; at most 2147483647 besides. */
    public static final String PRODUCT_ID_REGEX = "[1-9][0-9]{0,9}";

    /** An order id: openapi.yaml's pattern; at most 9223372036854775807 besides. */
    public static final String ORDER_ID_REGEX = "[1-9][0-9]{0,18}";

    private static final Pattern UUID_TEXT = Pattern.compile(UUID_REGEX);
    private static final Pattern NUMBER = Pattern.compile(ORDER_ID_REGEX);

    private PathIds() {
    }

    /**
     * Whether the ids a route's pattern took from a path ({@code productId}, {@code orderId}) are
     * within their ranges; the patterns have checked their form.
     */
    public static boolean inRange(Map<String, String> ids) {
        String product = ids.get("productId");
        String order = ids.get("orderId");
        return (product == null || Long.parseLong(product) <= Integer.MAX_VALUE)
                && (order == null || order.length() < 19 || order.compareTo(String.valueOf(Long.MAX_VALUE)) <= 0);
    }

    public static long number(String text, String what) {
        if (NUMBER.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException beyond64Bits) {
                // no such id either
            }
        }
        throw ApiException.notFound("no such " + what);
    }

    public static UUID uuid(String text, String what) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw ApiException.notFound("no such " + what);
        }
        return UUID.fromString(text);
    }
}
