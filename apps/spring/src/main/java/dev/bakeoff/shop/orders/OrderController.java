package dev.bakeoff.shop.orders;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.bakeoff.shop.web.ApiException;
import dev.bakeoff.shop.web.PathIds;

@RestController
public class OrderController {

    private final CheckoutService checkout;
    private final OrderRepository orders;

    public OrderController(CheckoutService checkout, OrderRepository orders) {
        this.checkout = checkout;
        this.orders = orders;
    }

    /**
     * 201 with a new order, or 200 with the order an earlier request made under the same key. The
     * body's size and media type are checked first by web.JsonBodyInterceptor.
     */
    @PostMapping("/checkout")
    public ResponseEntity<Order> checkout(
            @Valid @RequestBody CheckoutRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false)
            @Pattern(regexp = "[\\x21-\\x7E]{1,64}", message = "Idempotency-Key must be 1 to 64 visible ASCII characters")
            String idempotencyKey) {
        var outcome = checkout.checkout(UUID.fromString(request.cartId()), request.email(), idempotencyKey);
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK).body(outcome.order());
    }

    @GetMapping("/orders/{orderId:" + PathIds.ORDER_ID_REGEX + "}")
    public Order get(@PathVariable String orderId) {
        return orders.findById(PathIds.number(orderId, "order"))
                .orElseThrow(() -> ApiException.notFound("no such order"));
    }
}
