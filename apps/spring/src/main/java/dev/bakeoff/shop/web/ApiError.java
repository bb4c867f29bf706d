package dev.bakeoff.shop.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatusCode;

/** The contract's error body: {@code {"error": {"code": "...", "message": "..."}}}. */
public record ApiError(Detail error) {

    /** {@code productIds} is present only with {@code out_of_stock}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String code, String message, List<Integer> productIds) {
    }

    public static ApiError of(String code, String message) {
        return new ApiError(new Detail(code, message, null));
    }

    /** The body for a status whose code the contract names by status alone. */
    public static ApiError of(HttpStatusCode status, String message) {
        return of(codeFor(status), message);
    }

    static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "validation_failed";
            case 503 -> "unavailable";
            default -> status.is4xxClientError() ? "bad_request" : "internal";
        };
    }
}
