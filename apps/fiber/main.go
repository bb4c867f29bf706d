// The bakeoff shop (apps/contract/) on Fiber v2 and pgx. It reads its environment (RULES.md §7),
// serves on PORT with Fiber's fasthttp server, and on SIGTERM stops accepting, lets requests in
// flight finish, closes the pool and exits 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/api"
	"bakeoff/fiber/internal/store"
)

// shutdownGrace is how long requests in flight get after SIGTERM; the contract allows 10 s.
const shutdownGrace = 8 * time.Second

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	logger := jsonLogger()
	slog.SetDefault(logger) // the log.Printf lines below come out as JSON too
	databaseURL := os.Getenv("DATABASE_URL")
	if databaseURL == "" {
		return errors.New("DATABASE_URL is required, e.g. postgres://user:pass@host:5432/db")
	}
	// One process: WORKERS counts the threads running Go code, and each gets DB_POOL_SIZE
	// connections of the one pool, as each worker process of a multi-process server has its own.
	workers, err := envInt("WORKERS", availableCPUs())
	if err != nil {
		return err
	}
	poolSize, err := envInt("DB_POOL_SIZE", 10)
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(workers)

	shop, err := store.Open(context.Background(), databaseURL, int32(workers*poolSize))
	if err != nil {
		return err
	}
	app, err := api.New(shop, logger)
	if err != nil {
		return err
	}
	return serve(app, ":"+envOr("PORT", "8080"), shop, workers, workers*poolSize)
}

// serve runs the app until SIGTERM (or SIGINT), then shuts it down gracefully.
func serve(app *fiber.App, addr string, shop *store.Store, workers, connections int) error {
	stopped, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	failed := make(chan error, 1)
	go func() { failed <- app.Listen(addr) }()
	log.Printf("listening on %s, GOMAXPROCS %d, at most %d database connections", addr, workers, connections)

	select {
	case err := <-failed:
		return err
	case <-stopped.Done():
	}
	log.Print("stopping: finishing requests in flight")
	if err := app.ShutdownWithTimeout(shutdownGrace); err != nil {
		log.Printf("requests still in flight after %s: %v", shutdownGrace, err)
		return nil // the pool would wait for them: exit now
	}
	shop.Close()
	log.Print("stopped")
	return nil
}

// jsonLogger is log/slog's JSON handler on stdout, keyed as RULES.md §8 asks: "ts" in UTC for
// slog's "time", and the level in lower case.
func jsonLogger() *slog.Logger {
	rename := func(groups []string, attr slog.Attr) slog.Attr {
		switch {
		case len(groups) > 0:
		case attr.Key == slog.TimeKey:
			attr = slog.Time("ts", attr.Value.Time().UTC())
		case attr.Key == slog.LevelKey:
			attr.Value = slog.StringValue(strings.ToLower(attr.Value.String()))
		}
		return attr
	}
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: rename}))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

// envInt reads a positive integer variable, or gives fallback when it is unset or empty.
func envInt(name string, fallback int) (int, error) {
	text := os.Getenv(name)
	if text == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s must be a positive integer, not %q", name, text)
	}
	return n, nil
}
