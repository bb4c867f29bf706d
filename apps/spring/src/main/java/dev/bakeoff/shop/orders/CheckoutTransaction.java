package dev.bakeoff.shop.orders;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bakeoff.shop.carts.CartCheckedOutException;
import dev.bakeoff.shop.carts.Line;
import dev.bakeoff.shop.web.ApiException;

/** Step 3 of checkout (RULES.md §5): one transaction, all or nothing. */
@Service
public class CheckoutTransaction {

    private final OrderRepository orders;

    public CheckoutTransaction(OrderRepository orders) {
        this.orders = orders;
    }

    /**
     * Locks the cart, then its products in id order; refuses an unknown, checked-out or empty cart
     * and any line short of stock; takes the stock, closes the cart and writes the order. Every
     * refusal rolls back.
     */
    @Transactional
    public Order placeOrder(UUID cartId, String email, String idempotencyKey) {
        boolean checkedOut = orders.lockCart(cartId).orElseThrow(() -> ApiException.notFound("no such cart"));
        if (checkedOut) {
            throw new CartCheckedOutException();
        }
        List<OrderRepository.StockedLine> lines = orders.lockLines(cartId);
        if (lines.isEmpty()) {
            throw ApiException.invalid("the cart is empty");
        }
        List<Integer> shortOfStock = lines.stream()
                .filter(line -> line.quantity() > line.stock())
                .map(OrderRepository.StockedLine::productId)
                .toList();
        if (!shortOfStock.isEmpty()) {
            throw new OutOfStockException(shortOfStock);
        }
        List<Line> items = lines.stream().map(OrderRepository.StockedLine::line).toList();
        long subtotal = Line.subtotal(items);
        orders.takeStock(cartId);
        orders.markCheckedOut(cartId);
        return orders.insert(cartId, email, idempotencyKey, subtotal, Order.taxCents(subtotal)).with(items);
    }
}
