package dev.bakeoff.shop.carts;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.bakeoff.shop.web.PathIds;

@RestController
@RequestMapping("/carts")
public class CartController {

    private final CartService carts;

    public CartController(CartService carts) {
        this.carts = carts;
    }

    /** Any body and any Content-Type are ignored. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Cart create() {
        return carts.create();
    }

    @GetMapping("/{id:" + PathIds.UUID_REGEX + "}")
    public Cart get(@PathVariable String id) {
        return carts.get(PathIds.uuid(id, "cart"));
    }

    /** The body's size and media type are checked first by web.JsonBodyInterceptor. */
    @PostMapping("/{id:" + PathIds.UUID_REGEX + "}/items")
    public Cart addItem(@PathVariable String id, @Valid @RequestBody AddItemRequest item) {
        return carts.addItem(PathIds.uuid(id, "cart"), item.productId().intValue(), item.quantity().intValue());
    }
}
