package dev.bakeoff.shop.web;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;

/**
 * Every error as the contract's body. Spring MVC's own exceptions (unknown route, wrong method,
 * media type, unreadable JSON, failed validation) arrive through {@link ResponseEntityExceptionHandler},
 * whose status stands except for validation, which the contract answers with 422; the app's
 * refusals are {@link ApiException}s; a database that does not answer is 503. Nothing is logged
 * here: the access log ({@code observability.AccessLogFilter}) writes a 5xx with its exception.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ResponseEntity<ApiError> refused(ApiException ex) {
        return ResponseEntity.status(ex.status()).body(ex.body());
    }

    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessResourceException.class,
        CannotCreateTransactionException.class,
    })
    ResponseEntity<ApiError> unavailable(Exception ex) {
        HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
        return ResponseEntity.status(status).body(ApiError.of(status, "the database does not answer"));
    }

    @ExceptionHandler
    ResponseEntity<ApiError> fault(Exception ex) {
        HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(status).body(ApiError.of(status, "internal error"));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<? extends MessageSourceResolvable> invalid = switch (ex) {
            case MethodArgumentNotValidException e -> e.getAllErrors();
            case HandlerMethodValidationException e -> e.getAllErrors();
            default -> null;
        };
        if (invalid != null) {
            HttpStatus unprocessable = HttpStatus.UNPROCESSABLE_CONTENT;
            String message = invalid.stream().map(ApiExceptionHandler::describe).collect(Collectors.joining("; "));
            return super.handleExceptionInternal(ex, ApiError.of(unprocessable, message), headers, unprocessable, request);
        }
        return super.handleExceptionInternal(ex, ApiError.of(status, detail(ex, body)), headers, status, request);
    }

    private static String detail(Exception ex, @Nullable Object body) {
        if (ex instanceof HttpMessageNotReadableException && ex.getCause() instanceof JacksonException json) {
            return "unreadable JSON body: " + json.getOriginalMessage();
        }
        if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
            return problem.getDetail();
        }
        return ex.getMessage();
    }

    /** A validation error with the field's name as the client wrote it (snake_case). */
    private static String describe(MessageSourceResolvable error) {
        if (error instanceof FieldError field) {
            String name = field.getField().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            return name + " " + field.getDefaultMessage();
        }
        return error.getDefaultMessage();
    }
}
