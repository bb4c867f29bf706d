package dev.bakeoff.shop.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the contract's runtime variables (apps/contract/RULES.md §7) onto Spring Boot's own
 * properties before the context starts.
 *
 * <ul>
 *   <li>{@code DATABASE_URL} ({@code postgres://user:pass@host:port/db}) becomes
 *       {@code spring.datasource.url}, {@code username} and {@code password}.</li>
 *   <li>{@code WORKERS} (default: the CPUs the JVM sees, which it derives from the cgroup quota
 *       and the affinity mask) sets how many carrier threads run the virtual threads.</li>
 *   <li>{@code DB_POOL_SIZE} (default 10) is the Hikari pool's maximum size: the most connections
 *       one server process holds, and the JVM is one process.</li>
 * </ul>
 *
 * Explicit {@code spring.datasource.*} settings (say, {@code SPRING_DATASOURCE_URL}) win: this
 * source is added last.
 */
public class RuntimeEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new HashMap<>();
        String databaseUrl = environment.getProperty("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            properties.putAll(datasource(databaseUrl));
        }
        int workers = positive(environment, "WORKERS", Runtime.getRuntime().availableProcessors());
        if (environment.containsProperty("WORKERS")) {
            // Read when the first virtual thread starts, which is after this (Tomcat starts later).
            System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(workers));
        }
        int poolSize = positive(environment, "DB_POOL_SIZE", 10);
        properties.put("spring.datasource.hikari.maximum-pool-size", poolSize);
        environment.getPropertySources().addLast(new MapPropertySource("bakeoff-runtime", properties));
    }

    static Map<String, Object> datasource(String databaseUrl) {
        URI uri = URI.create(databaseUrl);
        if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
            throw new IllegalStateException("DATABASE_URL must look like postgres://user:pass@host:port/db");
        }
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", "jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            properties.put("spring.datasource.username", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                properties.put("spring.datasource.password", decode(userInfo.substring(colon + 1)));
            }
        }
        return properties;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static int positive(ConfigurableEnvironment environment, String name, int fallback) {
        String value = environment.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(name + " must be a positive integer, not '" + value + "'");
    }
}
