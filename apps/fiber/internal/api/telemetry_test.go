package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"bakeoff/fiber/internal/store"
)

// requestLine sends one request through app.Test to an app whose database never answers and
// answers the response's X-Request-Id and the one access-log line (slog's own level names:
// main.go lower-cases them).
func requestLine(t *testing.T, method, path, requestID string) (string, map[string]any) {
	t.Helper()
	shop, err := store.Open(context.Background(), "postgres://u:p@127.0.0.1:1/db?connect_timeout=1", 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(shop.Close)
	var out bytes.Buffer
	app, err := New(shop, slog.New(slog.NewJSONHandler(&out, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, nil)
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	res, err := app.Test(req, 5000)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%s %s: %d log lines: %q", method, path, len(lines), out.String())
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	return res.Header.Get("X-Request-Id"), line
}

func TestEachRequestIsLoggedOnceWithItsRouteNameStatusAndID(t *testing.T) {
	id, line := requestLine(t, "GET", "/products/7", "abc.DEF_1-2")
	if id != "abc.DEF_1-2" || line["request_id"] != "abc.DEF_1-2" {
		t.Errorf("id not kept: header %q, line %v", id, line["request_id"])
	}
	if line["route"] != "/products/{id}" || line["method"] != "GET" || line["status"] != float64(503) || line["level"] != "ERROR" {
		t.Errorf("line %v", line)
	}
	if message, _ := line["error"].(string); message == "" {
		t.Errorf("a 503 is logged without its error: %v", line)
	}
}

func TestAnUnmatchedRequestIsLoggedWithANullRouteAndAMadeID(t *testing.T) {
	for _, sent := range []string{"", "has spaces", strings.Repeat("a", 129)} {
		id, line := requestLine(t, "GET", "/nowhere", sent)
		if id == "" || id == sent || line["request_id"] != id {
			t.Errorf("%q: header %q, line %v", sent, id, line["request_id"])
		}
		if route, present := line["route"]; !present || route != nil || line["status"] != float64(404) {
			t.Errorf("%q: line %v", sent, line)
		}
	}
	_, line := requestLine(t, "POST", "/metrics", "")
	if line["route"] != nil || line["status"] != float64(405) {
		t.Errorf("POST /metrics: line %v", line)
	}
}
