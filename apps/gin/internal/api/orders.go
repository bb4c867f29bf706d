package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"bakeoff/gin/internal/input"
	"bakeoff/gin/internal/jsonx"
)

// checkoutRequest is the body of POST /checkout; unknown fields are ignored.
type checkoutRequest struct {
	CartID *jsonx.Text `json:"cart_id" binding:"required,uuid_rfc4122"`
	Email  *jsonx.Text `json:"email" binding:"required,text,max=254,checkout_email"`
}

func (h *handlers) checkout(c *gin.Context) {
	var req checkoutRequest
	if err := bindBody(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	var key *string
	if values := c.Request.Header.Values("Idempotency-Key"); len(values) > 0 {
		if err := input.IdempotencyKey(values[0]); err != nil {
			_ = c.Error(err)
			return
		}
		key = &values[0]
	}
	cartID := strings.ToLower(string(*req.CartID))
	order, created, err := h.shop.Checkout(c.Request.Context(), cartID, string(*req.Email), key)
	if err != nil {
		_ = c.Error(err)
		return
	}
	status := http.StatusOK // a repeat of an earlier checkout with the same key
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, order)
}

func (h *handlers) getOrder(c *gin.Context) {
	id, ok := input.OrderID(c.Param("id"))
	if !ok {
		_ = c.Error(notFound("order", c.Param("id")))
		return
	}
	order, err := h.shop.GetOrder(c.Request.Context(), id)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, order)
}
