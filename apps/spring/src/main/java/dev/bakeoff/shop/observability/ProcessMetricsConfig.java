package dev.bakeoff.shop.observability;

import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Prometheus Java client's own process collector, registered beside Micrometer's meters in
 * the {@link PrometheusRegistry} that Boot's {@code /metrics} scrapes: {@code process_cpu_seconds_total}
 * (user + system, a counter in seconds) and {@code process_resident_memory_bytes} (from
 * {@code /proc/self/status}), which Micrometer's binders do not offer (its CPU time counter is in
 * nanoseconds, and it has no resident memory gauge). Micrometer's {@code process.start.time} is
 * off in application.properties, as this collector writes the same family.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessMetricsConfig {

    @Bean
    SmartInitializingSingleton processMetrics(PrometheusRegistry registry) {
        return () -> ProcessMetrics.builder().register(registry);
    }
}
