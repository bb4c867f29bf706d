// Package api is the HTTP layer on Fiber v2: the routing table of apps/contract/openapi.yaml,
// body parsing and validation, and the error handler that renders every error as the contract's
// body.
package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"bakeoff/fiber/internal/input"
	"bakeoff/fiber/internal/problem"
	"bakeoff/fiber/internal/store"
)

// maxBody is the largest body read: beyond it, 413.
const maxBody = 100 << 10

// handlers serve the routes from one store, validating bodies with one validator.
type handlers struct {
	shop     *store.Store
	validate *validator.Validate
}

// New builds the app: strict, case-sensitive paths (Fiber answers 405 with Allow for a known
// path itself), encoding/json both ways (Fiber's default), no access log.
func New(shop *store.Store) (*fiber.App, error) {
	validate := validator.New(validator.WithRequiredStructEnabled())
	if err := input.Configure(validate); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		StrictRouting:         true,
		CaseSensitive:         true,
		UnescapePath:          true, // route on the decoded path, as net/http does
		BodyLimit:             maxBody,
		ReadTimeout:           10 * time.Second,
		IdleTimeout:           2 * time.Minute,
		ErrorHandler:          renderError,
		DisableStartupMessage: true,
	})
	app.Use(recover.New())

	h := &handlers{shop: shop, validate: validate}
	app.Get("/health", h.health)
	app.Get("/products/search", h.searchProducts)
	app.Get("/products/:id", h.getProduct)
	app.Post("/carts", h.createCart)
	app.Get("/carts/:id", h.getCart)
	app.Post("/carts/:id/items", jsonOnly, h.addCartItem)
	app.Post("/checkout", jsonOnly, h.checkout)
	app.Get("/orders/:id", h.getOrder)
	return app, nil
}

func (h *handlers) health(c *fiber.Ctx) error {
	if err := h.shop.Ping(c.UserContext()); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// renderError is the app's ErrorHandler: every error a handler returns, and Fiber's own (404 for
// no route, 405, 413), becomes the contract's body.
func renderError(c *fiber.Ctx, err error) error {
	var fiberErr *fiber.Error
	if errors.As(err, &fiberErr) {
		return c.Status(fiberErr.Code).JSON(problem.New(fiberErr.Code, fiberErr.Message))
	}
	status, body := problem.From(err)
	return c.Status(status).JSON(body)
}

// jsonOnly guards the routes that read a JSON body: 415 unless the Content-Type says JSON.
func jsonOnly(c *fiber.Ctx) error {
	if !input.JSONMediaType(c.Get(fiber.HeaderContentType)) {
		return &input.Fault{Status: http.StatusUnsupportedMediaType, Message: "send the body as application/json"}
	}
	return c.Next()
}

// parseBody parses the JSON body into obj and validates it; the error is the contract's refusal.
// BodyParser reads it with json.Unmarshal: exactly one JSON value, nothing after it.
func (h *handlers) parseBody(c *fiber.Ctx, obj any) error {
	if err := c.BodyParser(obj); err != nil {
		return input.BodyFault(err)
	}
	if err := h.validate.Struct(obj); err != nil {
		return input.BodyFault(err)
	}
	return nil
}

// notFound is the 404 of a path id that names nothing.
func notFound(what, id string) error {
	return &input.Fault{Status: http.StatusNotFound, Message: "no " + what + " " + id}
}
