// Package api is the HTTP layer on Gin: the routing table of apps/contract/openapi.yaml, request
// binding and validation, and one middleware that renders every error as the contract's body.
package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"bakeoff/gin/internal/input"
	"bakeoff/gin/internal/problem"
	"bakeoff/gin/internal/store"
)

// handlers serve the routes from one store.
type handlers struct {
	shop *store.Store
}

// New builds the engine: strict paths (no trailing-slash redirects), 405 with Allow for a known
// path, no access log.
func New(shop *store.Store) (*gin.Engine, error) {
	v, ok := binding.Validator.Engine().(*validator.Validate)
	if !ok {
		return nil, errors.New("gin's validator is not go-playground/validator")
	}
	if err := input.Configure(v); err != nil {
		return nil, err
	}
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.HandleMethodNotAllowed = true
	r.Use(gin.CustomRecovery(panicked), renderErrors)

	h := &handlers{shop: shop}
	r.GET("/health", h.health)
	r.GET("/products/search", h.searchProducts)
	r.GET("/products/:id", h.getProduct)
	r.POST("/carts", h.createCart)
	r.GET("/carts/:id", h.getCart)
	r.POST("/carts/:id/items", jsonOnly, h.addCartItem)
	r.POST("/checkout", jsonOnly, h.checkout)
	r.GET("/orders/:id", h.getOrder)

	r.NoRoute(func(c *gin.Context) {
		_ = c.Error(&input.Fault{Status: http.StatusNotFound, Message: "no route " + c.Request.URL.Path})
	})
	r.NoMethod(func(c *gin.Context) { // Gin has set the Allow header
		_ = c.Error(&input.Fault{Status: http.StatusMethodNotAllowed, Message: c.Request.Method + " is not allowed here"})
	})
	return r, nil
}

func (h *handlers) health(c *gin.Context) {
	if err := h.shop.Ping(c.Request.Context()); err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// renderErrors answers the last error a handler recorded with c.Error as the contract's body.
func renderErrors(c *gin.Context) {
	c.Next()
	if last := c.Errors.Last(); last != nil && !c.Writer.Written() {
		c.JSON(problem.From(last.Err))
	}
}

// panicked answers a recovered panic (Gin has logged it) with a 500 body.
func panicked(c *gin.Context, _ any) {
	c.AbortWithStatusJSON(http.StatusInternalServerError, problem.New(http.StatusInternalServerError, "internal error"))
}
