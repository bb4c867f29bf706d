package dev.bakeoff.shop.orders;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.bakeoff.shop.web.ApiError;
import dev.bakeoff.shop.web.ApiException;

/** 409 {@code out_of_stock}, naming every short product in ascending order. */
public class OutOfStockException extends ApiException {

    private final List<Integer> productIds;

    public OutOfStockException(List<Integer> productIds) {
        super(HttpStatus.CONFLICT, "out_of_stock", "not enough stock for every line");
        this.productIds = productIds;
    }

    @Override
    public ApiError body() {
        return new ApiError(new ApiError.Detail("out_of_stock", getMessage(), productIds));
    }
}
