# Puma in clustered mode: one worker process per CPU the container may use, each serving requests
# from a small thread pool. See https://puma.io/puma/Puma/DSL.html.
require_relative "../lib/available_cpus"
require_relative "../lib/metrics"

# Workers: RULES.md §7's WORKERS, by default the CPUs available (affinity mask capped by the cgroup
# quota). Each is a full Ruby VM with its own GVL, so this is what uses every CPU.
worker_count = Integer(ENV.fetch("WORKERS") { AvailableCpus.count })
workers worker_count
silence_single_worker_warning if worker_count == 1

# Threads per worker: as many as the worker's connection pool holds. Rails' generated
# configuration ties the two together (RAILS_MAX_THREADS sizes both Puma's threads and
# database.yml's pool, so no thread waits for a connection); RULES.md §7 fixes the pool at
# DB_POOL_SIZE, so that number sizes the threads too.
threads_count = Integer(ENV.fetch("DB_POOL_SIZE", 10))
threads threads_count, threads_count

bind "tcp://0.0.0.0:#{ENV.fetch("PORT", 8080)}"

# Every method reaches Rails, which answers a known path with 405 and its Allow, an unknown one with
# 404 (RULES.md §1). Puma's default list would answer QUERY or PROPFIND 501 itself.
supported_http_methods :any
environment ENV.fetch("RAILS_ENV", "production")

# Load the (eager-loaded) app once in the master; workers fork from it and share its memory
# copy-on-write. Active Record connections open lazily, after the fork.
preload_app!

# /metrics sums the files the workers write under METRICS_DIR (lib/metrics.rb): empty it once, in
# the master, and have each worker write its own as it boots, so a scrape counts every worker.
Metrics.reset
on_worker_boot { Metrics.write }

# On SIGTERM the master tells the workers to stop accepting and finish what they are serving;
# a worker still busy after 8 s is killed, so the container stops within RULES.md's 10 s. Then
# Puma exits 0 rather than re-raising the signal.
worker_shutdown_timeout 8
raise_exception_on_sigterm false

# Puma's own request log stays off (`log_requests`): the app writes the access log of RULES.md §8
# (lib/request_instrumentation.rb). Boot and shutdown lines go to stdout.
