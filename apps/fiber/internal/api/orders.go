package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/input"
	"bakeoff/fiber/internal/jsonx"
)

// checkoutRequest is the body of POST /checkout; unknown fields are ignored.
type checkoutRequest struct {
	CartID *jsonx.Text `json:"cart_id" validate:"required,uuid_rfc4122"`
	Email  *jsonx.Text `json:"email" validate:"required,text,max=254,checkout_email"`
}

func (h *handlers) checkout(c *fiber.Ctx) error {
	var req checkoutRequest
	if err := h.parseBody(c, &req); err != nil {
		return err
	}
	var key *string
	if values, given := c.GetReqHeaders()["Idempotency-Key"]; given {
		if err := input.IdempotencyKey(values[0]); err != nil {
			return err
		}
		key = &values[0]
	}
	cartID := strings.ToLower(string(*req.CartID))
	order, created, err := h.shop.Checkout(c.UserContext(), cartID, string(*req.Email), key)
	if err != nil {
		return err
	}
	status := fiber.StatusOK // a repeat of an earlier checkout with the same key
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(order)
}

func (h *handlers) getOrder(c *fiber.Ctx) error {
	id, ok := input.OrderID(c.Params("id"))
	if !ok {
		return notFound("order", c.Params("id"))
	}
	order, err := h.shop.GetOrder(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(order)
}
