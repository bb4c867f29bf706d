package dev.bakeoff.shop.carts;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bakeoff.shop.products.ProductRepository;
import dev.bakeoff.shop.web.ApiException;

/** The cart steps of RULES.md §4. */
@Service
public class CartService {

    private final CartRepository carts;
    private final ProductRepository products;

    public CartService(CartRepository carts, ProductRepository products) {
        this.carts = carts;
        this.products = products;
    }

    public Cart create() {
        return Cart.of(carts.create(), List.of());
    }

    @Transactional(readOnly = true)
    public Cart get(UUID id) {
        if (!carts.exists(id)) {
            throw ApiException.notFound("no such cart");
        }
        return Cart.of(id, carts.lines(id));
    }

    /** Lock the cart, refuse a checked-out cart or an unknown product, then add to the line. */
    @Transactional
    public Cart addItem(UUID cartId, int productId, int quantity) {
        boolean checkedOut = carts.lockCheckedOutForShare(cartId)
                .orElseThrow(() -> ApiException.notFound("no such cart"));
        if (checkedOut) {
            throw new CartCheckedOutException();
        }
        if (!products.exists(productId)) {
            throw ApiException.notFound("no such product");
        }
        if (!carts.addToLine(cartId, productId, quantity)) {
            throw ApiException.invalid("a line holds at most 100 of a product");
        }
        return Cart.of(cartId, carts.lines(cartId));
    }
}
