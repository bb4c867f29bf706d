// Package api is the HTTP layer on Gin: the routing table of apps/contract/openapi.yaml, request
// binding and validation, and one middleware that renders every error as the contract's body.
package api

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

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

// New builds the engine: strict paths (no trailing-slash redirects), 404 for a path whose id is
// malformed and 405 with Allow for another method on a known path, the access log written to
// logger, and /metrics.
func New(shop *store.Store, logger *slog.Logger) (*gin.Engine, error) {
	v, ok := binding.Validator.Engine().(*validator.Validate)
	if !ok {
		return nil, errors.New("gin's validator is not go-playground/validator")
	}
	if err := input.Configure(v); err != nil {
		return nil, err
	}
	telemetry, err := newTelemetry(shop)
	if err != nil {
		return nil, err
	}
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.HandleMethodNotAllowed = true
	r.Use(requestID, telemetry.accessLog(logger), gin.CustomRecoveryWithWriter(io.Discard, panicked), renderErrors)

	h := &handlers{shop: shop}
	r.GET("/health", h.health)
	r.GET("/metrics", telemetry.metrics())
	r.GET("/products/search", h.searchProducts)
	r.GET("/products/:id", h.getProduct)
	r.POST("/carts", h.createCart)
	r.GET("/carts/:id", h.getCart)
	r.POST("/carts/:id/items", wellFormedIDs, jsonBody, h.addCartItem)
	r.POST("/checkout", jsonBody, h.checkout)
	r.GET("/orders/:id", h.getOrder)

	r.NoRoute(func(c *gin.Context) {
		_ = c.Error(&input.Fault{Status: http.StatusNotFound, Message: "no route " + c.Request.URL.Path})
	})
	r.NoMethod(wellFormedIDs, func(c *gin.Context) { // Gin has set the Allow header
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

// idRules check the id segment of the routes with one, by the path's first segment.
var idRules = map[string]func(string) bool{
	"products": func(id string) bool { _, ok := input.ProductID(id); return ok || id == "search" },
	"carts":    func(id string) bool { _, ok := input.CartID(id); return ok },
	"orders":   func(id string) bool { _, ok := input.OrderID(id); return ok },
}

// wellFormedIDs answers 404 for a path whose id segment is malformed: it names no resource,
// whatever the method (so before 405), headers or body. Gin routes on the path's shape alone, and
// does not hand the Params of a route matched by another method to the NoMethod handlers.
func wellFormedIDs(c *gin.Context) {
	segments := strings.Split(c.Request.URL.Path, "/") // "", "carts", id, ...
	if len(segments) < 3 {
		return
	}
	if rule, ok := idRules[segments[1]]; ok && !rule(segments[2]) {
		c.Writer.Header().Del("Allow")
		_ = c.Error(notFound(segments[1][:len(segments[1])-1], segments[2]))
		c.Abort()
	}
}

// renderErrors answers the last error a handler recorded with c.Error as the contract's body.
func renderErrors(c *gin.Context) {
	c.Next()
	if last := c.Errors.Last(); last != nil && !c.Writer.Written() {
		c.JSON(problem.From(last.Err))
	}
}

// panicked answers a recovered panic with a 500 body; the access log reports the panic.
func panicked(c *gin.Context, recovered any) {
	_ = c.Error(fmt.Errorf("panic: %v", recovered))
	c.AbortWithStatusJSON(http.StatusInternalServerError, problem.New(http.StatusInternalServerError, "internal error"))
}
