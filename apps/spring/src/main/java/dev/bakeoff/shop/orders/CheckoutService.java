package dev.bakeoff.shop.orders;

import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.bakeoff.shop.carts.CartCheckedOutException;
import dev.bakeoff.shop.web.ApiException;

/**
 * Checkout with its {@code Idempotency-Key} (RULES.md §5): a key some order already has answers
 * that order again; a twin that wins the race is found after this request's transaction rolled
 * back. Only a successful checkout is remembered under its key.
 */
@Service
public class CheckoutService {

    /** The order, and whether this request created it (201) or repeats an earlier one (200). */
    public record Outcome(Order order, boolean created) {
    }

    private final CheckoutTransaction transaction;
    private final OrderRepository orders;

    public CheckoutService(CheckoutTransaction transaction, OrderRepository orders) {
        this.transaction = transaction;
        this.orders = orders;
    }

    public Outcome checkout(UUID cartId, String email, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<Outcome> repeat = repeat(idempotencyKey, cartId);
            if (repeat.isPresent()) {
                return repeat.get();
            }
        }
        try {
            return new Outcome(transaction.placeOrder(cartId, email, idempotencyKey), true);
        } catch (CartCheckedOutException checkedOut) {
            // With a key, the twin that checked the cart out may have just committed.
            if (idempotencyKey == null) {
                throw checkedOut;
            }
            return repeat(idempotencyKey, cartId).orElseThrow(() -> checkedOut);
        } catch (DuplicateKeyException twinWon) {
            // orders.idempotency_key is unique: a twin with the same key committed first.
            if (idempotencyKey == null) {
                throw twinWon;
            }
            return repeat(idempotencyKey, cartId).orElseThrow(() -> twinWon);
        }
    }

    /** The order holding the key, answered again if it is for the same cart, else 422. */
    private Optional<Outcome> repeat(String idempotencyKey, UUID cartId) {
        return orders.findByIdempotencyKey(idempotencyKey).map(order -> {
            if (!order.cartId().equals(cartId)) {
                throw ApiException.invalid("the Idempotency-Key was used for another cart");
            }
            return new Outcome(order, false);
        });
    }
}
