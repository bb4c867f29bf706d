package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// addItemRequest is the body of POST /carts/{id}/items; unknown fields are ignored.
type addItemRequest struct {
	ProductID *wholeNumber `json:"product_id" validate:"required,min=1,max=2147483647"`
	Quantity  *wholeNumber `json:"quantity" validate:"required,min=1,max=100"`
}

// cartID is the route's UUID (cartIDParam) in lower case, as PostgreSQL prints it.
func cartID(c *fiber.Ctx) string {
	return strings.ToLower(c.Params("id"))
}

func (h *handlers) createCart(c *fiber.Ctx) error {
	cart, err := h.shop.CreateCart(c.UserContext())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cart)
}

func (h *handlers) getCart(c *fiber.Ctx) error {
	cart, err := h.shop.GetCart(c.UserContext(), cartID(c))
	if err != nil {
		return err
	}
	return c.JSON(cart)
}

func (h *handlers) addCartItem(c *fiber.Ctx) error {
	var req addItemRequest
	if err := h.parseBody(c, &req); err != nil {
		return err
	}
	cart, err := h.shop.AddItem(c.UserContext(), cartID(c), int32(*req.ProductID), int32(*req.Quantity))
	if err != nil {
		return err
	}
	return c.JSON(cart)
}
