package dev.bakeoff.shop.web;

import org.springframework.http.HttpStatus;

/**
 * A refusal the contract defines: a status and an error code. These are expected outcomes, not
 * faults, so they carry no stack trace.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 404 {@code not_found}: no such resource, or an id of the wrong form. */
    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    /** 413 {@code payload_too_large}: a body over the limit of the routes that read one. */
    public static ApiException payloadTooLarge(int limit) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "the body is over " + limit + " bytes");
    }

    /** 422 {@code validation_failed}: a rule of the route's own steps. */
    public static ApiException invalid(String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed", message);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return ApiError.of(code, getMessage());
    }
}
