package dev.bakeoff.shop.observability;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The access log (RULES.md §8): the outermost filter gives every request its id (the client's
 * {@code X-Request-Id} when it is 1 to 128 of {@code A-Za-z0-9._-}, else a UUID), echoes it on
 * the response before anything can fail, and once the response is complete logs one event with
 * the method, the route template that matched ({@code null} for none), the status, the duration
 * and the id as key-value pairs, which {@link JsonLogFormat} writes as one JSON line. A 5xx is
 * logged at {@code error} with the exception behind it, and a 500 with its stack trace too (a 503
 * is the database being away, not a fault to trace).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AccessLogFilter extends OncePerRequestFilter {

    private static final String HEADER = "X-Request-Id";

    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final Logger log = LoggerFactory.getLogger("access");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        String id = request.getHeader(HEADER);
        if (id == null || !VALID_ID.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        response.setHeader(HEADER, id);
        Throwable escaped = null;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            escaped = e;
            throw e;
        } finally {
            double durationMs = (System.nanoTime() - start) / 1e6;
            log(request, escaped == null ? response.getStatus() : 500, durationMs, id, escaped);
        }
    }

    private static void log(HttpServletRequest request, int status, double durationMs, String id, @Nullable Throwable escaped) {
        @Nullable Throwable error = escaped != null ? escaped : handled(request, status);
        LoggingEventBuilder event = status >= 500 ? log.atError() : log.atInfo();
        event = event.addKeyValue("method", request.getMethod())
                .addKeyValue("route", RouteTemplate.of((String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)))
                .addKeyValue("status", status)
                .addKeyValue("duration_ms", durationMs)
                .addKeyValue("request_id", id);
        if (status >= 500) {
            event = event.addKeyValue("error", error == null ? "HTTP " + status : error.toString());
        }
        if (status == 500 && error != null) {
            event = event.setCause(error); // a fault of the app: its stack trace follows
        }
        event.log("{} {} {}", request.getMethod(), request.getRequestURI(), status);
    }

    /** The exception Spring MVC answered with an error body ({@code web.ApiExceptionHandler}), if any. */
    private static @Nullable Throwable handled(HttpServletRequest request, int status) {
        return status >= 500 && request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE) instanceof Throwable t ? t : null;
    }
}
