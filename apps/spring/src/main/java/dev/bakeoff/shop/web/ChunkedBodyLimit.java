package dev.bakeoff.shop.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * A {@code @RequestBody} sent without {@code Content-Length} (chunked) is read up to one byte past
 * {@link JsonBodyInterceptor#MAX_BYTES}: beyond that it is 413, and the rest is never read. A body
 * with a length was checked before (its length is within the limit), and is read as it comes.
 */
@ControllerAdvice
public class ChunkedBodyLimit extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        if (input.getHeaders().getContentLength() >= 0) {
            return input;
        }
        byte[] body = input.getBody().readNBytes(JsonBodyInterceptor.MAX_BYTES + 1);
        if (body.length > JsonBodyInterceptor.MAX_BYTES) {
            throw ApiException.payloadTooLarge(JsonBodyInterceptor.MAX_BYTES);
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }
}
