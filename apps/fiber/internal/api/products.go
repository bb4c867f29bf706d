package api

import (
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) searchProducts(c *fiber.Ctx) error {
	params, err := searchParams(c)
	if err != nil {
		return err
	}
	page, err := h.shop.Search(c.UserContext(), params)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// getProduct's route admits only ids of 1 to 2147483647 (productIDParam).
func (h *handlers) getProduct(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return err
	}
	product, err := h.shop.GetProduct(c.UserContext(), int32(id))
	if err != nil {
		return err
	}
	return c.JSON(product)
}
