package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"bakeoff/gin/internal/store"
)

// logged serves one request on a router whose database never answers and answers the response
// and the one access-log line it wrote (slog's own level names: main.go lower-cases them).
func logged(t *testing.T, method, path, requestID string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	gin.SetMode(gin.TestMode)
	shop, err := store.Open(context.Background(), "postgres://u:p@127.0.0.1:1/db?connect_timeout=1", 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(shop.Close)
	var out bytes.Buffer
	router, err := New(shop, slog.New(slog.NewJSONHandler(&out, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, nil)
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	res := httptest.NewRecorder()
	router.ServeHTTP(res, req)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%s %s: %d log lines: %q", method, path, len(lines), out.String())
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	return res, line
}

func TestEachRequestIsLoggedOnceWithItsTemplateStatusAndID(t *testing.T) {
	res, line := logged(t, "GET", "/products/7", "abc.DEF_1-2")
	if res.Header().Get("X-Request-Id") != "abc.DEF_1-2" || line["request_id"] != "abc.DEF_1-2" {
		t.Errorf("id not kept: header %q, line %v", res.Header().Get("X-Request-Id"), line["request_id"])
	}
	if line["route"] != "/products/:id" || line["method"] != "GET" || line["status"] != float64(503) || line["level"] != "ERROR" {
		t.Errorf("line %v", line)
	}
	if message, _ := line["error"].(string); message == "" {
		t.Errorf("a 503 is logged without its error: %v", line)
	}
}

func TestAnUnmatchedRequestIsLoggedWithANullRouteAndAMadeID(t *testing.T) {
	for _, id := range []string{"", "has spaces", strings.Repeat("a", 129)} {
		res, line := logged(t, "GET", "/nowhere", id)
		made := res.Header().Get("X-Request-Id")
		if made == "" || made == id || line["request_id"] != made {
			t.Errorf("%q: header %q, line %v", id, made, line["request_id"])
		}
		if route, present := line["route"]; !present || route != nil || line["status"] != float64(http.StatusNotFound) {
			t.Errorf("%q: line %v", id, line)
		}
	}
}
