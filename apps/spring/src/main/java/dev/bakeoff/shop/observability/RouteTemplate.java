package dev.bakeoff.shop.observability;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A route's template as openapi.yaml spells it, from the Spring MVC pattern that matched: the
 * routes constrain their ids with regular expressions ({@code /products/{productId:[1-9][0-9]{0,9}}}),
 * which the access log and the {@code uri} tag leave out. Every contract route has at most one
 * path id and openapi.yaml calls it {@code id}: {@code /products/{id}}.
 */
public final class RouteTemplate {

    /** A path variable with its optional pattern; patterns hold no {@code /}. */
    private static final Pattern VARIABLE = Pattern.compile("\\{\\w+(:[^/]*)?}");

    private RouteTemplate() {
    }

    public static @Nullable String of(@Nullable String pattern) {
        return pattern == null ? null : VARIABLE.matcher(pattern).replaceAll("{id}");
    }
}
