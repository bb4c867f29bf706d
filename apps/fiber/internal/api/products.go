package api

import (
	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/input"
)

func (h *handlers) searchProducts(c *fiber.Ctx) error {
	args := c.Context().QueryArgs()
	params, err := input.Search(func(name string) (string, bool) {
		values := args.PeekMulti(name)
		if len(values) == 0 {
			return "", false
		}
		return string(values[len(values)-1]), true
	})
	if err != nil {
		return err
	}
	page, err := h.shop.Search(c.UserContext(), params)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (h *handlers) getProduct(c *fiber.Ctx) error {
	id, ok := input.ProductID(c.Params("id"))
	if !ok {
		return notFound("product", c.Params("id"))
	}
	product, err := h.shop.GetProduct(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(product)
}
