package dev.bakeoff.shop.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON type rules of apps/contract/RULES.md §2, applied to Spring Boot's {@code JsonMapper}.
 * Anything Jackson refuses is a 400 ({@code HttpMessageNotReadableException}); values are left
 * to Bean Validation on the request records, which answers 422.
 */
@Configuration(proxyBeanMethods = false)
public class JsonRules {

    @Bean
    JsonMapperBuilderCustomizer contractJsonRules() {
        return builder -> builder
                // Unknown fields are ignored (Jackson 3's default, stated here because the contract says so).
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // A required field that is missing or null is a 400, like a field of the wrong type.
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                // A string field takes a JSON string only: no numbers or booleans turned into text.
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // An integer field takes a JSON number with an integral value, nothing else.
                .addModule(new SimpleModule("contract-integers")
                        .addDeserializer(Long.class, new JsonIntegerDeserializer()));
    }
}
