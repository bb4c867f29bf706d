package dev.bakeoff.shop.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The checks of the routes that read a JSON body (RULES.md §1), once routing has found the route
 * (so after 404 and 405) and before the body is read: a body over {@link #MAX_BYTES} is 413,
 * decided from {@code Content-Length}; then a media type other than {@code application/json}, or
 * none, is 415. A chunked body has no length to decide from: {@link ChunkedBodyLimit} cuts it off.
 */
class JsonBodyInterceptor implements HandlerInterceptor {

    static final int MAX_BYTES = 102_400;

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            throw ApiException.payloadTooLarge(MAX_BYTES);
        }
        String contentType = request.getContentType();
        if (contentType == null) {
            throw new HttpMediaTypeNotSupportedException("no Content-Type: send the body as application/json", JSON);
        }
        try {
            MediaType mediaType = MediaType.parseMediaType(contentType);
            if (!MediaType.APPLICATION_JSON.equalsTypeAndSubtype(mediaType)) {
                throw new HttpMediaTypeNotSupportedException(mediaType, JSON);
            }
        } catch (InvalidMediaTypeException malformed) {
            throw new HttpMediaTypeNotSupportedException(malformed.getMessage(), JSON);
        }
        return true;
    }
}
