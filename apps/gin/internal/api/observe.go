package api

import (
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"bakeoff/gin/internal/store"
)

// requestIDHeader carries a request's id both ways (RULES.md §8).
const requestIDHeader = "X-Request-Id"

// requestIDKey is where requestID keeps the id in the gin.Context.
const requestIDKey = "request_id"

// acceptedRequestID is the shape of a client's id that the app keeps; any other is replaced.
var acceptedRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,128}$`)

// requestID takes the client's X-Request-Id when it has the accepted shape, or makes a UUID, and
// sends it back on the response, whatever the response turns out to be.
func requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !acceptedRequestID.MatchString(id) {
		id = uuid.NewString()
	}
	c.Set(requestIDKey, id)
	c.Header(requestIDHeader, id)
	c.Next()
}

// telemetry is the app's registry: the request histogram, the pool's gauges, and the Go
// runtime's and the process's collectors.
type telemetry struct {
	registry *prometheus.Registry
	duration *prometheus.HistogramVec
}

func newTelemetry(shop *store.Store) (*telemetry, error) {
	t := &telemetry{
		registry: prometheus.NewRegistry(),
		// By method, Gin's route template (/products/:id; empty when no route matched) and
		// status. prometheus.DefBuckets are the contract's, 5 ms to 10 s.
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time from a request's arrival to its response, by method, route template and status.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "status"}),
	}
	gauge := func(name, help string, read func(store.PoolStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help},
			func() float64 { return read(shop.Stats()) })
	}
	all := []prometheus.Collector{
		t.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		gauge("db_pool_connections_in_use", "Database connections lent out now.",
			func(s store.PoolStats) float64 { return float64(s.InUse) }),
		gauge("db_pool_connections_idle", "Open database connections not lent out.",
			func(s store.PoolStats) float64 { return float64(s.Idle) }),
		gauge("db_pool_acquires_waiting", "Requests waiting for a database connection now.",
			func(s store.PoolStats) float64 { return float64(s.Waiting) }),
	}
	for _, collector := range all {
		if err := t.registry.Register(collector); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// metrics answers GET /metrics from the registry.
func (t *telemetry) metrics() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(t.registry, promhttp.HandlerOpts{}))
}

// accessLog writes one line per request once the handlers are done, and observes its duration:
// info, or error with the last error a handler recorded for a 5xx.
func (t *telemetry) accessLog(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		elapsed := time.Since(start)
		status := c.Writer.Status()
		route := c.FullPath()
		t.duration.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(elapsed.Seconds())

		routeAttr := slog.Any("route", nil) // null: no route matched
		if route != "" {
			routeAttr = slog.String("route", route)
		}
		attrs := []slog.Attr{
			slog.String("method", c.Request.Method),
			routeAttr,
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.String("request_id", c.GetString(requestIDKey)),
		}
		level := slog.LevelInfo
		if status >= http.StatusInternalServerError {
			level = slog.LevelError
			message := "no error recorded"
			if last := c.Errors.Last(); last != nil {
				message = last.Error()
			}
			attrs = append(attrs, slog.String("error", message))
		}
		logger.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}
