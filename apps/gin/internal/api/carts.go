package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"bakeoff/gin/internal/input"
	"bakeoff/gin/internal/jsonx"
)

// addItemRequest is the body of POST /carts/{id}/items; unknown fields are ignored.
type addItemRequest struct {
	ProductID *jsonx.Int `json:"product_id" binding:"required,min=1,max=2147483647"`
	Quantity  *jsonx.Int `json:"quantity" binding:"required,min=1,max=100"`
}

func (h *handlers) createCart(c *gin.Context) {
	cart, err := h.shop.CreateCart(c.Request.Context())
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusCreated, cart)
}

func (h *handlers) getCart(c *gin.Context) {
	id, ok := input.CartID(c.Param("id"))
	if !ok {
		_ = c.Error(notFound("cart", c.Param("id")))
		return
	}
	cart, err := h.shop.GetCart(c.Request.Context(), id)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, cart)
}

func (h *handlers) addCartItem(c *gin.Context) {
	var req addItemRequest
	if err := bindBody(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	id, ok := input.CartID(c.Param("id"))
	if !ok {
		_ = c.Error(notFound("cart", c.Param("id")))
		return
	}
	cart, err := h.shop.AddItem(c.Request.Context(), id, int32(*req.ProductID), int32(*req.Quantity))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, cart)
}
