package dev.bakeoff.shop.carts;

import org.springframework.http.HttpStatus;

import dev.bakeoff.shop.web.ApiException;

/** 409 {@code cart_checked_out}: the cart has become an order and takes no more changes. */
public class CartCheckedOutException extends ApiException {

    public CartCheckedOutException() {
        super(HttpStatus.CONFLICT, "cart_checked_out", "the cart is checked out");
    }
}
