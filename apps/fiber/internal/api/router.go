// Package api is the HTTP layer on Fiber v2: the routing table of apps/contract/openapi.yaml,
// body parsing and validation, and the error handler that renders every error as the contract's
// body.
package api

import (
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/valyala/fasthttp"

	"bakeoff/fiber/internal/store"
)

const (
	// maxBody is the largest body read: beyond it, 413.
	maxBody = 100 << 10
	// maxDepth is the deepest nesting of arrays and objects a body may have: beyond it, 400.
	maxDepth = 100
	// otherMethod stands for every method Fiber is not configured with, which no route declares.
	otherMethod = "OTHER"
)

// Path ids as route constraints, the patterns and ranges of openapi.yaml: a path whose id has
// another form matches no route, so it is 404 whatever the method.
const (
	productIDParam = `<regex(^[1-9][0-9]{0,9}$);max(2147483647)>`
	orderIDParam   = `<regex(^[1-9][0-9]{0,18}$);max(9223372036854775807)>`
	cartIDParam    = `<regex(^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$)>`
)

// handlers serve the routes from one store, validating bodies with one validator.
type handlers struct {
	shop     *store.Store
	validate *validator.Validate
}

// New builds the app: strict, case-sensitive paths (Fiber answers 405 with Allow for a known
// path itself), encoding/json both ways (refusing a body nested deeper than maxDepth first), a
// body over maxBody left unread by fasthttp (see routeEveryRequest), no multipart parsing (a
// bodiless route ignores any body and Content-Type), the access log written to logger, and
// /metrics. Each route is named with its openapi.yaml template, which the access log and the
// request histogram report.
func New(shop *store.Store, logger *slog.Logger) (*fiber.App, error) {
	validate, err := newValidator()
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		StrictRouting:                true,
		CaseSensitive:                true,
		UnescapePath:                 true, // route on the decoded path, as net/http does
		BodyLimit:                    maxBody,
		DisablePreParseMultipartForm: true,
		JSONDecoder:                  decodeJSON,
		RequestMethods:               append(slices.Clone(fiber.DefaultMethods), otherMethod),
		ReadTimeout:                  10 * time.Second,
		IdleTimeout:                  2 * time.Minute,
		ErrorHandler:                 renderError,
		DisableStartupMessage:        true,
	})
	observer, err := newObserver(logger, shop)
	if err != nil {
		return nil, err
	}
	app.Use(requestID, observer.middleware, recover.New())

	h := &handlers{shop: shop, validate: validate}
	app.Get("/health", h.health).Name("/health")
	app.Get("/metrics", observer.handler()).Name("/metrics")
	app.Get("/products/search", h.searchProducts).Name("/products/search")
	app.Get("/products/:id"+productIDParam, h.getProduct).Name("/products/{id}")
	app.Post("/carts", h.createCart).Name("/carts")
	app.Get("/carts/:id"+cartIDParam, h.getCart).Name("/carts/{id}")
	app.Post("/carts/:id"+cartIDParam+"/items", jsonOnly, h.addCartItem).Name("/carts/{id}/items")
	app.Post("/checkout", jsonOnly, h.checkout).Name("/checkout")
	app.Get("/orders/:id"+orderIDParam, h.getOrder).Name("/orders/{id}")
	routeEveryRequest(app)
	return app, nil
}

// bodyTooLarge marks a request whose body fasthttp refused for being over BodyLimit.
type bodyTooLarge struct{}

// routeEveryRequest sends through the router two kinds of request that would be answered before
// routing, so that 404 and 405 come first for them as for any other (RULES.md §2):
//   - a method Fiber is not configured with, which Fiber answers with a plain-text 400, is routed
//     as otherMethod, which no route declares;
//   - a body whose Content-Length is over BodyLimit, which fasthttp refuses before reading it, is
//     routed without its body and marked bodyTooLarge: the body routes answer 413. (A chunked body
//     that passes BodyLimit is 413 wherever it was sent: fasthttp has dropped the request by then.)
func routeEveryRequest(app *fiber.App) {
	known := make(map[string]bool, len(app.Config().RequestMethods))
	for _, method := range app.Config().RequestMethods {
		known[method] = true
	}
	server := app.Server()
	route, refuse := server.Handler, server.ErrorHandler
	server.Handler = func(ctx *fasthttp.RequestCtx) {
		if !known[string(ctx.Method())] {
			ctx.Request.Header.SetMethod(otherMethod)
		}
		route(ctx)
	}
	server.ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		if !errors.Is(err, fasthttp.ErrBodyTooLarge) || ctx.Request.Header.ContentLength() <= maxBody {
			refuse(ctx, err)
			return
		}
		ctx.SetUserValue(bodyTooLarge{}, true)
		server.Handler(ctx)
	}
}

func (h *handlers) health(c *fiber.Ctx) error {
	if err := h.shop.Ping(c.UserContext()); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
