// The bakeoff shop (apps/contract/) on Gin and pgx. It reads its environment (RULES.md §7),
// serves on PORT with net/http, and on SIGTERM stops accepting, lets requests in flight finish,
// closes the pool and exits 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"bakeoff/gin/internal/api"
	"bakeoff/gin/internal/store"
)

// shutdownGrace is how long requests in flight get after SIGTERM; the contract allows 10 s.
const shutdownGrace = 8 * time.Second

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	logger := newLogger()
	slog.SetDefault(logger) // log.Printf below, and net/http's own messages, as JSON lines too
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
	gin.SetMode(gin.ReleaseMode)
	router, err := api.New(shop, logger)
	if err != nil {
		return err
	}
	server := &http.Server{
		Addr:              ":" + envOr("PORT", "8080"),
		Handler:           router,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	return serve(server, shop, workers, workers*poolSize)
}

// serve runs the server until SIGTERM (or SIGINT), then shuts it down gracefully.
func serve(server *http.Server, shop *store.Store, workers, connections int) error {
	stopped, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	failed := make(chan error, 1)
	go func() { failed <- server.ListenAndServe() }()
	log.Printf("listening on %s, GOMAXPROCS %d, at most %d database connections", server.Addr, workers, connections)

	select {
	case err := <-failed:
		return err
	case <-stopped.Done():
	}
	log.Print("stopping: finishing requests in flight")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(ctx); err != nil {
		log.Printf("requests still in flight after %s: %v", shutdownGrace, err)
		return nil // the pool would wait for them: exit now
	}
	shop.Close()
	log.Print("stopped")
	return nil
}

// newLogger writes JSON lines on stdout with RULES.md §8's names: ts (RFC 3339, UTC) and level in
// lower case.
func newLogger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				return slog.Time("ts", a.Value.Time().UTC())
			case slog.LevelKey:
				return slog.String(slog.LevelKey, strings.ToLower(a.Value.String()))
			}
			return a
		},
	}))
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
