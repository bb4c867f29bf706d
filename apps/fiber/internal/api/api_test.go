package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"io"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/store"
)

// The database here never answers (nothing listens on port 1): a request that passes every
// check of the contract reaches it and is 503, and one refused earlier never gets that far.
// serve runs the app on a loopback port (app.Test cannot show a 413: fasthttp answers it and
// then reports the error to ServeConn) and answers its base URL.
func serve(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := newApp(t)
	go func() { _ = app.Listener(listener) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + listener.Addr().String()
}

func newApp(t *testing.T) *fiber.App {
	t.Helper()
	shop, err := store.Open(context.Background(), "postgres://u:p@127.0.0.1:1/db?connect_timeout=1", 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(shop.Close)
	app, err := New(shop, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return app
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
	{method: "FOO", path: "/orders/7", status: 405, code: "method_not_allowed", allow: "GET, HEAD"},
	{method: "PATCH", path: "/products/search", status: 405, code: "method_not_allowed", allow: "GET, HEAD"},
	{method: "GET", path: cart, status: 405, code: "method_not_allowed", allow: "POST"},
	{method: "PUT", path: "/carts/0b2f0c5e-0000-4000-8000-00000000000A", status: 405, code: "method_not_allowed", allow: "GET, HEAD"},
	{method: "DELETE", path: "/carts/x", status: 404, code: "not_found"},
	{method: "PROPFIND", path: "/products/-1", status: 404, code: "not_found"},
	{method: "GET", path: "/products/1x", status: 404, code: "not_found"},
	{method: "DELETE", path: "/products/2147483648", status: 404, code: "not_found"},
	{method: "DELETE", path: "/products/2147483647", status: 405, code: "method_not_allowed", allow: "GET, HEAD"},
	{method: "POST", path: "/orders/9223372036854775808", status: 404, code: "not_found"},
	{method: "POST", path: "/orders/9223372036854775807", status: 405, code: "method_not_allowed", allow: "GET, HEAD"},
	{method: "GET", path: "/carts/{0b2f0c5e-0000-4000-8000-00000000000A}", status: 404, code: "not_found"},
	{method: "GET", path: "/carts/0b2f0c5e000040008000000000000000", status: 404, code: "not_found"},
	{method: "GET", path: "/products/1", contentType: "multipart/form-data; boundary=x", body: "--x\r\nnot a part", status: 503, code: "unavailable"},
	{method: "POST", path: "/carts", contentType: ";;;", body: "{", status: 503, code: "unavailable"},
	{method: "GET", path: "/products/search?sort=relevance&q=%20", status: 503, code: "unavailable"},
	{method: "GET", path: "/products/search?max_price=0&min_price=1", status: 503, code: "unavailable"},
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
	add(`{"product_id": 1, "quantity": 1}`+strings.Repeat(" ", 100<<10-32), 503, "unavailable"),
	{method: "POST", path: "/checkout", body: "not json", status: 415, code: "unsupported_media_type"},
	{method: "POST", path: "/carts/nope/items", body: "{", status: 404, code: "not_found"},
	add(`{"product_id": 1, "quantity": 1, "x": `+brackets(99)+`}`, 503, "unavailable"),
	add(`{"product_id": 1, "quantity": 1, "x": `+brackets(100)+`}`, 400, "bad_request"),
	add(`{"product_id": 1, "quantity": 1, "x": "\\\"`+strings.Repeat("{", 101)+`"}`, 503, "unavailable"),
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
	checkout(`{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "a\u0000@b.co"}`),
	checkout("{\"cart_id\": \"0B2F0C5E-0000-4000-8000-00000000000A\", \"email\": \"a\xff@b.co\"}"),
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "\ufffd@b.co"}`, status: 503, code: "unavailable"},
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "a\ud800@b.co", "x": 1} x`, status: 400, code: "bad_request"},
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"email": "a\ud800@b.co"}`, status: 400, code: "bad_request"},
	checkout(`{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": ""}`),
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"cart_id": null, "email": "a@b.co"}`, status: 400, code: "bad_request"},
	{method: "POST", path: "/checkout", contentType: "application/json", body: `{"cart_id": "0B2F0C5E-0000-4000-8000-00000000000A", "email": "a@b.co"}`, status: 503, code: "unavailable"},
}

func TestTheContractsRefusals(t *testing.T) {
	base := serve(t)
	for _, e := range exchanges {
		req, err := http.NewRequest(e.method, base+e.path, strings.NewReader(e.body))
		if err != nil {
			t.Fatal(err)
		}
		if e.contentType != "" {
			req.Header.Set("Content-Type", e.contentType)
		}
		for name, value := range e.header {
			req.Header.Set(name, value)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", e.method, e.path, err)
		}
		text, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var body struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.Unmarshal(text, &body)
		if res.StatusCode != e.status || body.Error.Code != e.code || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s %.60s: got %d %s, want %d %s", e.method, e.path, e.body, res.StatusCode, text, e.status, e.code)
		}
		if allow := strings.Join(res.Header.Values("Allow"), ", "); allow != e.allow {
			t.Errorf("%s %s: Allow %q, want %q", e.method, e.path, allow, e.allow)
		}
	}
}

// brackets is depth objects, one inside the other.
func brackets(depth int) string {
	return strings.Repeat(`{"a":`, depth-1) + "{}" + strings.Repeat("}", depth-1)
}

// A body over the limit is refused before it is read (from Content-Length) or once it passes the
// limit (chunked), and the connection closed: these requests go over a raw connection that
// ignores a failed write and reads the answer.
func TestABodyOverTheLimitIs413BeforeTheMediaTypeIsLookedAt(t *testing.T) {
	base := serve(t)
	chunk := fmt.Sprintf("%x\r\n%s\r\n", 32<<10, strings.Repeat(" ", 32<<10))
	heads := map[string]string{
		"Content-Length: 10485760\r\n\r\n":   "",
		"Content-Length: 102401\r\n\r\n":     "",
		"Transfer-Encoding: chunked\r\n\r\n": strings.Repeat(chunk, 4),
	}
	for head, body := range heads {
		status := exchangeRaw(t, base, "POST "+cart+" HTTP/1.1\r\nHost: shop\r\nContent-Type: text/plain\r\n"+head+body)
		if !strings.HasPrefix(status, "HTTP/1.1 413 ") {
			t.Errorf("%q: got %q, want 413", head, status)
		}
	}
}

func TestABodyOverTheLimitOnAnUnknownPathOrMethodIs404Or405(t *testing.T) {
	base := serve(t)
	requests := map[string]string{
		"POST /carts/nope/items":  "HTTP/1.1 404 ",
		"POST /products/search":   "HTTP/1.1 405 ",
		"PATCH /checkout":         "HTTP/1.1 405 ",
		"POST /nowhere":           "HTTP/1.1 404 ",
		"QUERY /carts/nope/items": "HTTP/1.1 404 ",
	}
	for request, want := range requests {
		status := exchangeRaw(t, base, request+" HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n")
		if !strings.HasPrefix(status, want) {
			t.Errorf("%s with 10 MB: got %q, want %q", request, status, want)
		}
	}
}

// exchangeRaw writes a request as it is, without waiting for the write (the server may answer
// and close before the body is sent), and answers the response's status line.
func exchangeRaw(t *testing.T, base, request string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() { _, _ = io.WriteString(conn, request) }()
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return status
}
