package api

import (
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"bakeoff/fiber/internal/store"
)

// requestIDLocal is the c.Locals key of the request's id.
const requestIDLocal = "requestid"

// clientRequestID is an X-Request-Id the app keeps as the request's id (RULES.md §8).
var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,128}$`)

// requestID is the first middleware: it keeps the client's X-Request-Id when it has the right
// shape, else makes a UUID, and sets it on the response before any handler can answer.
func requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !clientRequestID.MatchString(id) {
		id = uuid.NewString()
	}
	c.Locals(requestIDLocal, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

// observer writes the access log and the request histogram, and serves /metrics.
type observer struct {
	log      *slog.Logger
	registry *prometheus.Registry
	seconds  *prometheus.HistogramVec
}

func newObserver(logger *slog.Logger, shop *store.Store) (*observer, error) {
	o := &observer{
		log:      logger,
		registry: prometheus.NewRegistry(),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Request duration by method, route (the openapi.yaml template) and status code.",
			Buckets: prometheus.DefBuckets, // 5 ms ... 10 s, as RULES.md §8 asks
		}, []string{"method", "route", "status"}),
	}
	err := registerAll(o.registry,
		o.seconds,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		poolCollector{shop},
	)
	return o, err
}

func registerAll(registry *prometheus.Registry, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := registry.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// handler is GET /metrics: promhttp's handler through Fiber's net/http adaptor.
func (o *observer) handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(o.registry, promhttp.HandlerOpts{}))
}

// middleware runs the rest of the chain, has the app's ErrorHandler answer an error at once (as
// Fiber's logger middleware does, so the status is known here), then logs and observes. Every
// route is named with its openapi.yaml template; no name means no route matched.
func (o *observer) middleware(c *fiber.Ctx) error {
	start := time.Now()
	failure := c.Next()
	if failure != nil {
		if err := c.App().ErrorHandler(c, failure); err != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	took := time.Since(start)
	status := c.Response().StatusCode()
	route := c.Route().Name
	// Fiber's strings point into fasthttp's buffers, which the next request reuses: the
	// histogram keeps its label values, so it gets a copy of the method.
	method := utils.CopyString(c.Method())
	o.seconds.WithLabelValues(method, route, strconv.Itoa(status)).Observe(took.Seconds())

	level := slog.LevelInfo
	fields := make([]slog.Attr, 0, 7)
	fields = append(fields, slog.String("method", method))
	if route == "" {
		fields = append(fields, slog.Any("route", nil))
	} else {
		fields = append(fields, slog.String("route", route))
	}
	fields = append(fields,
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(took.Nanoseconds())/1e6),
		slog.Any("request_id", c.Locals(requestIDLocal)),
	)
	if status >= fiber.StatusInternalServerError {
		level = slog.LevelError
		reason := "status " + strconv.Itoa(status)
		if failure != nil {
			reason = failure.Error()
		}
		fields = append(fields, slog.String("error", reason))
	}
	o.log.LogAttrs(c.UserContext(), level, "request", fields...)
	return nil
}

// poolCollector reads the pool once per scrape: connections in use and idle (pgxpool.Stat) and
// acquires waiting (store.Waiting).
type poolCollector struct {
	shop *store.Store
}

var (
	poolInUse   = prometheus.NewDesc("pgxpool_acquired_conns", "Database connections lent out now.", nil, nil)
	poolIdle    = prometheus.NewDesc("pgxpool_idle_conns", "Open database connections not lent out.", nil, nil)
	poolWaiting = prometheus.NewDesc("pgxpool_acquires_waiting", "Acquires waiting for a database connection now.", nil, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolInUse
	ch <- poolIdle
	ch <- poolWaiting
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	stat := p.shop.Stat()
	ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(stat.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(stat.IdleConns()))
	ch <- prometheus.MustNewConstMetric(poolWaiting, prometheus.GaugeValue, float64(p.shop.Waiting()))
}
