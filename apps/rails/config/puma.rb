# Puma in clustered mode: one worker process per CPU the container may use, each serving requests
# from a small thread pool. See https://puma.io/puma/Puma/DSL.html.
require_relative "../lib/available_cpus"

# Workers: RULES.md §7's WORKERS, by default the CPUs available (affinity mask capped by the cgroup
# quota). Each is a full Ruby VM with its own GVL, so this is what uses every CPU.
worker_count = Integer(ENV.fetch("WORKERS") { AvailableCpus.count })
workers worker_count
silence_single_worker_warning if worker_count == 1

# Threads per worker: Rails' default of 3 (since 7.2). Under the GVL more threads add latency,
# not throughput; three let one run Ruby while the others wait on PostgreSQL.
threads_count = Integer(ENV.fetch("RAILS_MAX_THREADS", 3))
threads threads_count, threads_count

bind "tcp://0.0.0.0:#{ENV.fetch("PORT", 8080)}"

# Every method reaches Rails, which answers a known path with 405 and its Allow, an unknown one with
# 404 (RULES.md §1). Puma's default list would answer QUERY or PROPFIND 501 itself.
supported_http_methods :any
environment ENV.fetch("RAILS_ENV", "production")

# Load the (eager-loaded) app once in the master; workers fork from it and share its memory
# copy-on-write. Active Record connections open lazily, after the fork.
preload_app!

# On SIGTERM the master tells the workers to stop accepting and finish what they are serving;
# a worker still busy after 8 s is killed, so the container stops within RULES.md's 10 s. Then
# Puma exits 0 rather than re-raising the signal.
worker_shutdown_timeout 8
raise_exception_on_sigterm false

# No per-request log (Puma logs none unless `log_requests`); boot and shutdown lines go to stdout.
