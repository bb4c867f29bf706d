package api

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// checkoutRequest is the body of POST /checkout; unknown fields are ignored.
type checkoutRequest struct {
	CartID *text `json:"cart_id" validate:"required,uuid_rfc4122"`
	Email  *text `json:"email" validate:"required,text,max=254,checkout_email"`
}

// idempotencyKey is the Idempotency-Key the contract takes: 1 to 64 visible ASCII characters.
var idempotencyKey = regexp.MustCompile(`^[\x21-\x7E]{1,64}$`)

func (h *handlers) checkout(c *fiber.Ctx) error {
	var req checkoutRequest
	if err := h.parseBody(c, &req); err != nil {
		return err
	}
	var key *string
	if values, given := c.GetReqHeaders()["Idempotency-Key"]; given {
		if !idempotencyKey.MatchString(values[0]) {
			return invalid("Idempotency-Key must be 1 to 64 visible ASCII characters")
		}
		key = &values[0]
	}
	cart := strings.ToLower(req.CartID.value)
	order, created, err := h.shop.Checkout(c.UserContext(), cart, req.Email.value, key)
	if err != nil {
		return err
	}
	status := fiber.StatusOK // a repeat of an earlier checkout with the same key
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(order)
}

// getOrder's route admits only ids of 1 to 2^63-1 (orderIDParam).
func (h *handlers) getOrder(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return err
	}
	order, err := h.shop.GetOrder(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return c.JSON(order)
}
