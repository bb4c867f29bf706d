package dev.bakeoff.shop.web;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.http.HttpMethod;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/** Where the contract's HTTP rules (RULES.md §1, §2) differ from Spring MVC's defaults. */
@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {

    /**
     * A query parameter given twice counts with its last value (RULES.md §2); Spring would join
     * the values with commas.
     */
    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String[].class, String.class, values -> values[values.length - 1]);
    }

    /** The body routes check size and media type before their body is read. */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new JsonBodyInterceptor()).addPathPatterns("/checkout", "/carts/*/items");
    }

    /**
     * {@code TRACE} is routed like any other method: 405 with the route's methods, or 404. Tomcat
     * answers TRACE itself (405 with an {@code Allow} header of its own) unless it is allowed ...
     */
    @Bean
    TomcatConnectorCustomizer traceReachesTheApp() {
        return connector -> connector.setAllowTrace(true);
    }

    /**
     * ... and {@code FrameworkServlet} echoes the request after Spring MVC's answer even with
     * {@code dispatchTraceRequest}: this DispatcherServlet (Boot backs off for a bean of this name)
     * only dispatches it. Boot's own would also have read {@code spring.mvc.*}: no request-handled
     * events, as {@code spring.mvc.publish-request-handled-events=false} said.
     */
    @Bean(name = DispatcherServletAutoConfiguration.DEFAULT_DISPATCHER_SERVLET_BEAN_NAME)
    DispatcherServlet dispatcherServlet() {
        DispatcherServlet servlet = new DispatcherServlet() {
            @Override
            protected void doTrace(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
                processRequest(request, response);
            }
        };
        servlet.setPublishEvents(false);
        return servlet;
    }

    /**
     * Actuator's handler mapping, which serves {@code /metrics}, answers {@code OPTIONS} itself as
     * Spring MVC's does; a {@link MappedInterceptor}, which every handler mapping of the context
     * applies, makes it the same 405 as any other method there.
     */
    @Bean
    MappedInterceptor noMetricsOptions() {
        return new MappedInterceptor(new String[] {"/metrics"}, new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws HttpRequestMethodNotSupportedException {
                if (HttpMethod.OPTIONS.matches(request.getMethod())) {
                    throw new HttpRequestMethodNotSupportedException(request.getMethod(), Set.of(HttpMethod.GET.name()));
                }
                return true;
            }
        });
    }

    @Bean
    WebMvcRegistrations noImplicitOptions() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new NoImplicitOptionsHandlerMapping();
            }
        };
    }

    /**
     * Spring MVC answers {@code OPTIONS} itself on every mapped path; the contract lists no
     * {@code OPTIONS} route, so it is a 405 with {@code Allow} like any other method, and a 404
     * on a path no route declares methods for. A path whose id has the form of its pattern but
     * lies beyond its range names nothing either: 404 with any method.
     */
    static final class NoImplicitOptionsHandlerMapping extends RequestMappingHandlerMapping {

        @Override
        protected @Nullable HandlerMethod handleNoMatch(Set<RequestMappingInfo> infos, String lookupPath,
                HttpServletRequest request) throws ServletException {
            Set<String> allowed = new TreeSet<>();
            for (RequestMappingInfo info : infos) {
                var paths = info.getPathPatternsCondition();
                var matching = paths == null ? null : paths.getMatchingCondition(request);
                if (matching == null) {
                    continue;
                }
                var ids = matching.getFirstPattern()
                        .matchAndExtract(ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication());
                if (ids != null && !PathIds.inRange(ids.getUriVariables())) {
                    return null; // an id beyond its range names nothing: 404, not 405
                }
                info.getMethodsCondition().getMethods().forEach(method -> allowed.add(method.name()));
            }
            if (HttpMethod.OPTIONS.matches(request.getMethod())) {
                if (allowed.isEmpty()) {
                    return null;
                }
                throw new HttpRequestMethodNotSupportedException(request.getMethod(), allowed);
            }
            return super.handleNoMatch(infos, lookupPath, request);
        }
    }
}
