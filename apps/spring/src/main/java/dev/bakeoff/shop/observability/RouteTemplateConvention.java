package dev.bakeoff.shop.observability;

import io.micrometer.common.KeyValue;

import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Spring's {@code http.server.requests} observation (the {@code http_server_requests_seconds}
 * histogram), with the {@code uri} tag spelled as openapi.yaml spells the route
 * ({@link RouteTemplate}). Requests no route matched keep Spring's {@code NOT_FOUND} or
 * {@code UNKNOWN}. Boot's observation filter picks this bean up.
 */
@Component
public class RouteTemplateConvention extends DefaultServerRequestObservationConvention {

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        String route = RouteTemplate.of(context.getPathPattern());
        return route == null ? super.uri(context) : KeyValue.of("uri", route);
    }
}
