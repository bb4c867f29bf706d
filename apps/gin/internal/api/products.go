package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"bakeoff/gin/internal/input"
)

func (h *handlers) searchProducts(c *gin.Context) {
	params, err := input.Search(func(name string) (string, bool) {
		values, given := c.GetQueryArray(name)
		if !given {
			return "", false
		}
		return values[len(values)-1], true
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	page, err := h.shop.Search(c.Request.Context(), params)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *handlers) getProduct(c *gin.Context) {
	id, ok := input.ProductID(c.Param("id"))
	if !ok {
		_ = c.Error(notFound("product", c.Param("id")))
		return
	}
	product, err := h.shop.GetProduct(c.Request.Context(), id)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, product)
}

// notFound is the 404 of a path id that names nothing.
func notFound(what, id string) error {
	return &input.Fault{Status: http.StatusNotFound, Message: "no " + what + " " + id}
}
