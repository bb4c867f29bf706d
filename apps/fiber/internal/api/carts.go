package api

import (
	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/input"
	"bakeoff/fiber/internal/jsonx"
)

// addItemRequest is the body of POST /carts/{id}/items; unknown fields are ignored.
type addItemRequest struct {
	ProductID *jsonx.Int `json:"product_id" validate:"required,min=1,max=2147483647"`
	Quantity  *jsonx.Int `json:"quantity" validate:"required,min=1,max=100"`
}

func (h *handlers) createCart(c *fiber.Ctx) error {
	cart, err := h.shop.CreateCart(c.UserContext())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cart)
}

func (h *handlers) getCart(c *fiber.Ctx) error {
	id, ok := input.CartID(c.Params("id"))
	if !ok {
		return notFound("cart", c.Params("id"))
	}
	cart, err := h.shop.GetCart(c.UserContext(), id)
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
	id, ok := input.CartID(c.Params("id"))
	if !ok {
		return notFound("cart", c.Params("id"))
	}
	cart, err := h.shop.AddItem(c.UserContext(), id, int32(*req.ProductID), int32(*req.Quantity))
	if err != nil {
		return err
	}
	return c.JSON(cart)
}
