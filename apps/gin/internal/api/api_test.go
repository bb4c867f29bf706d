package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"bakeoff/gin/internal/store"
)

// The database here never answers (nothing listens on port 1): a request that passes every
// check of the contract reaches it and is 503, and one refused earlier never gets that far.
func newRouter(t *testing.T) http.Handler {
	t.Helper()
	gin.SetMode(gin.TestMode)
	shop, err := store.Open(context.Background(), "postgres://u:p@127.0.0.1:1/db?connect_timeout=1", 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(shop.Close)
	router, err := New(shop, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return router
}

type exchange struct {
	method, path, contentType, body string
	header                          map[string]string
	status                          int
	code                            string
	allow                           string // the Allow header a 405 must carry
}

const cart = "/carts/0b2f0c5e-0000-4000-8000-00000000000A/items"

func checkout(body string, key ...string) exchange {
	e := exchange{method: "POST", path: "/checkout", contentType: "application/json", body: body, status: 422, code: "validation_failed"}
	if len(key) > 0 {
		e.header = map[string]string{"Idempotency-Key": key[0]}
	}
	return e
}

func add(body string, status int, code string) exchange {
	return exchange{method: "POST", path: cart, contentType: "application/json", body: body, status: status, code: code}
}

var exchanges = []exchange{
	{method: "GET", path: "/health", status: 503, code: "unavailable"},
	{method: "GET", path: "/health/", status: 404, code: "not_found"},
	{method: "GET", path: "/Health", status: 404, code: "not_found"},
	{method: "OPTIONS", path: "/checkout", status: 405, code: "method_not_allowed", allow: "POST"},
	{method: "QUERY", path: "/checkout", status: 405, code: "method_not_allowed", allow: "POST"},
	{method: "FOO", path: "/products/1", status: 405, code: "method_not_allowed", allow: "GET"},
	{method: "PROPFIND", path: "/products/search", status: 405, code: "method_not_allowed", allow: "GET"},
	{method: "GET", path: cart, status: 405, code: "method_not_allowed", allow: "POST"},
	{method: "DELETE", path: "/carts/0b2f0c5e-0000-4000-8000-00000000000A", status: 405, code: "method_not_allowed", allow: "GET"},
	{method: "DELETE", path: "/carts/x", status: 404, code: "not_found"},
	{method: "PATCH", path: "/products/01", status: 404, code: "not_found"},
	{method: "PATCH", path: "/products/2147483648", status: 404, code: "not_found"},
	{method: "PUT", path: "/orders/9223372036854775807", status: 405, code: "method_not_allowed", allow: "GET"},
	{method: "TRACE", path: "/orders/x", status: 404, code: "not_found"},
	{method: "GET", path: "/carts/x/items", status: 404, code: "not_found"},
	{method: "GET", path: "/health", contentType: "multipart/form-data", body: "--x", status: 503, code: "unavailable"},
	{method: "POST", path: "/carts", contentType: "application/json", body: "[[[", status: 503, code: "unavailable"},
	{method: "GET", path: "/products/search?sort=relevance", status: 503, code: "unavailable"},
	{method: "GET", path: "/products/search?min_price=5&max_price=1", status: 503, code: "unavailable"},
	{method: "GET", path: "/products/0", status: 404, code: "not_found"},
	{method: "GET", path: "/products/2147483648", status: 404, code: "not_found"},
	{method: "GET", path: "/orders/9223372036854775808", status: 404, code: "not_found"},
	{method: "GET", path: "/carts/0b2f0c5e-0000-4000-8000-00000000000", status: 404, code: "not_found"},
	{method: "GET", path: "/products/search?limit=5&limit=500", status: 422, code: "validation_failed"},
	{method: "GET", path: "/products/search?limit=500&limit=5", status: 503, code: "unavailable"},
	{method: "GET", path: "/products/search?q=%ED%A0%80", status: 422, code: "validation_failed"},
	{method: "GET", path: "/products/search?limit=+1", status: 422, code: "validation_failed"},
	{method: "GET", path: "/products/search?limit=", status: 422, code: "validation_failed"},
	{method: "GET", path: "/products/search?q=" + strings.Repeat("%C3%A9", 200), status: 503, code: "unavailable"},
	{method: "POST", path: cart, contentType: "application/json; charset=latin1", body: "{}", status: 415, code: "unsupported_media_type"},
	{method: "POST", path: cart, contentType: "Application/JSON; Charset=UTF-8", body: "{}", status: 400, code: "bad_request"},
	{method: "POST", path: cart, contentType: "application/json", body: strings.Repeat(" ", 100<<10+1), status: 413, code: "payload_too_large"},
	{method: "POST", path: cart, contentType: "text/plain", body: strings.Repeat(" ", 100<<10+1), status: 413, code: "payload_too_large"},
	{method: "POST", path: "/checkout", body: "{", status: 415, code: "unsupported_media_type"},
	{method: "POST", path: "/carts/nope/items", contentType: "text/plain", body: "{", status: 404, code: "not_found"},
	{method: "POST", path: "/carts/nope/items", contentType: "application/json", body: strings.Repeat(" ", 100<<10+1), status: 404, code: "not_found"},
	add(`{"product_id": 1, "quantity": 1, "x": `+nested(99)+`}`, 503, "unavailable"),
	add(`{"product_id": 1, "quantity": 1, "x": `+nested(100)+`}`, 400, "bad_request"),
	add(`{"product_id": 1, "quantity": 1, "x": "`+strings.Repeat("[{", 200)+`"}`, 503, "unavailable"),
	add(`{"product_id": 1, "quantity": 1} x`, 400, "bad_request"),
	add(`{"product_id": 1, "quantity": 1, "quantity": null}`, 400, "bad_request"),
	add(`{"product_id": 1, "quantity": "1"}`, 400, "bad_request"),
	add(`{"product_id": 1, "quantity": 2.5}`, 400, "bad_request"),
	add(`{"product_id": 0, "quantity": 1}`, 422, "validation_failed"),
	add(`{"product_id": 1, "quantity": -1e30}`, 422, "validation_failed"),
	add(`{"product_id": 1e0, "quantity": 30e-1}`, 503, "unavailable"),
	add(`{"product_id": 1.0, "quantity": 100, "extra": [null]}`, 503, "unavailable"),
	{method: "POST", path: "/carts/nope/items", contentType: "application/json", body: `{"product_id": 1, "quantity": 1}`, status: 404, code: "not_found"},
	{method: "POST", path: "/carts/nope/items", contentType: "application/json", body: `{"product_id": 1, "quantity": 0}`, status: 404, code: "not_found"},
	checkout(`{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "a\ud800@b.co"}`),
	checkout(`{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "a@b.co"}`, ""),
	checkout(`{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": ""}`),
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"cart_id": null, "email": "a@b.co"}`, status: 400, code: "bad_request"},
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "a@b.co"}`, status: 503, code: "unavailable"},
}

func TestTheContractsRefusals(t *testing.T) {
	router := newRouter(t)
	for _, e := range exchanges {
		req := httptest.NewRequest(e.method, e.path, strings.NewReader(e.body))
		if e.contentType != "" {
			req.Header.Set("Content-Type", e.contentType)
		}
		for name, value := range e.header {
			req.Header.Set(name, value)
		}
		res := httptest.NewRecorder()
		router.ServeHTTP(res, req)
		var body struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.Unmarshal(res.Body.Bytes(), &body)
		if res.Code != e.status || body.Error.Code != e.code || !strings.HasPrefix(res.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s %s %.60s: got %d %s, want %d %s", e.method, e.path, e.body, res.Code, res.Body, e.status, e.code)
		}
		if res.Header().Get("Allow") != e.allow {
			t.Errorf("%s %s: Allow %q, want %q", e.method, e.path, res.Header().Get("Allow"), e.allow)
		}
	}
}

// nested is depth arrays, one inside the other.
func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

func TestAChunkedBodyIsCutOffPastTheLimit(t *testing.T) {
	router := newRouter(t)
	body := io.MultiReader(strings.NewReader(`{"email": "`), strings.NewReader(strings.Repeat("a", 10<<20)))
	req := httptest.NewRequest("POST", "/checkout", body)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "text/plain")
	res := httptest.NewRecorder()
	router.ServeHTTP(res, req)
	if res.Code != 413 {
		t.Errorf("got %d %s, want 413", res.Code, res.Body)
	}
}
