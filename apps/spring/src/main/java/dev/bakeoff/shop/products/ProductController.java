package dev.bakeoff.shop.products;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bakeoff.shop.web.ApiException;
import dev.bakeoff.shop.web.PathIds;

@RestController
@RequestMapping("/products")
public class ProductController {

    private final ProductRepository products;

    public ProductController(ProductRepository products) {
        this.products = products;
    }

    @GetMapping("/search")
    public SearchPage search(@Valid @ModelAttribute SearchParams params) {
        return products.search(params.criteria());
    }

    @GetMapping("/{productId:" + PathIds.PRODUCT_ID_REGEX + "}")
    public Product get(@PathVariable String productId) {
        return products.findById(PathIds.number(productId, "product"))
                .orElseThrow(() -> ApiException.notFound("no such product"));
    }
}
