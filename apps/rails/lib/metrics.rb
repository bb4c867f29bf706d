require "fileutils"

# The app's metrics (RULES.md §8) across Puma's worker processes. Debian packages no Prometheus
# client for Ruby (neither prometheus-client nor prometheus-client-mmap), so this is the small part
# of one the app needs, shaped like the multiprocess mode of those clients: each worker keeps its
# figures in memory and writes them to its own file under METRICS_DIR after every request; a scrape,
# in whichever worker it lands, sums the files of all workers. CPU time and resident memory are read
# from /proc at the scrape, for the master and every worker.
module Metrics
  # Upper bounds of the request-duration buckets, in seconds.
  BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].freeze
  CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8".freeze

  @lock = Mutex.new
  # [method, route, status] => { buckets: counts per bucket, +Inf last (not cumulative), sum: seconds }
  @requests = Hash.new { |hash, key| hash[key] = { buckets: Array.new(BUCKETS.size + 1, 0), sum: 0.0 } }

  class << self
    # The folder the workers share; config/puma.rb empties it when the server starts. On tmpfs by
    # default (Docker mounts one at /dev/shm): a write there costs about 0.1 ms, against 0.3 ms
    # and more on the image's overlay filesystem.
    def dir
      ENV.fetch("METRICS_DIR", "/dev/shm/bakeoff-metrics")
    end

    def reset
      FileUtils.rm_rf(dir)
      FileUtils.mkdir_p(dir)
    end

    def observe_request(method:, route:, status:, seconds:)
      @lock.synchronize do
        series = @requests[[method, route, status.to_s]]
        series[:buckets][BUCKETS.bsearch_index { |le| seconds <= le } || BUCKETS.size] += 1
        series[:sum] += seconds
        write
      end
    end

    # This worker's figures, in its file (written whole, then renamed over the last one).
    def write
      file = File.join(dir, "#{Process.pid}.bin")
      snapshot = { requests: @requests.to_a, pool: ActiveRecord::Base.connection_pool.stat,
                   gc_seconds: GC.stat(:time) / 1000.0 }
      File.binwrite("#{file}.tmp", Marshal.dump(snapshot))
      File.rename("#{file}.tmp", file)
    end

    # The Prometheus text format (version 0.0.4) of every worker's figures.
    def exposition
      @lock.synchronize { write }
      workers = Dir.glob(File.join(dir, "*.bin")).to_h do |file|
        [File.basename(file, ".bin").to_i, Marshal.load(File.binread(file))]
      end
      live = workers.select { |pid, _| File.exist?("/proc/#{pid}") }
      cpu_seconds, resident_bytes = usage([Process.ppid, *live.keys])

      Exposition.new
        .histogram("http_request_duration_seconds", "Time from a request's arrival to its response.",
                   requests(workers.values))
        .gauge("db_pool_connections_in_use", "Connections leased by a thread, all workers.", pool(live, :busy))
        .gauge("db_pool_connections_idle", "Open connections not leased, all workers.", pool(live, :idle))
        .gauge("db_pool_requests_waiting", "Threads waiting for a connection, all workers.", pool(live, :waiting))
        .counter("process_cpu_seconds_total", "User and system CPU time of Puma's processes.", cpu_seconds)
        .gauge("process_resident_memory_bytes", "Resident memory of Puma's processes.", resident_bytes)
        .counter("ruby_gc_seconds_total", "Time spent in Ruby's garbage collector, all workers.",
                 workers.values.sum { |worker| worker[:gc_seconds] })
        .to_s
    end

    private

    # Summed over the workers, a dead worker's requests included (they were served).
    def requests(workers)
      workers.flat_map { |worker| worker[:requests] }
        .group_by(&:first)
        .map do |labels, series|
          [%w[method route status].zip(labels).to_h,
           series.map(&:last).map { |s| s[:buckets] }.transpose.map(&:sum),
           series.sum { |_, s| s[:sum] }]
        end
    end

    def pool(workers, stat)
      workers.values.sum { |worker| worker[:pool].fetch(stat) }
    end

    # CPU seconds (utime + stime) and resident bytes of these processes, from /proc/<pid>/stat
    # (proc(5): fields 14, 15 and 24, in clock ticks of 1/100 s and pages of 4 KiB).
    def usage(pids)
      pids.uniq.filter_map { |pid| proc_stat(pid) }
        .reduce([0.0, 0]) { |(cpu, rss), f| [cpu + ((f[11].to_i + f[12].to_i) / 100.0), rss + (f[21].to_i * 4096)] }
    end

    # The fields after the command name (in parentheses), so field 3 of proc(5) first; nil once the
    # process is gone.
    def proc_stat(pid)
      stat = File.read("/proc/#{pid}/stat")
      stat[(stat.rindex(")") + 2)..].split
    rescue SystemCallError
      nil
    end
  end

  # Writes metric families in the Prometheus text format, version 0.0.4.
  class Exposition
    ESCAPES = { "\\" => "\\\\", "\n" => "\\n", '"' => '\\"' }.freeze

    def initialize
      @text = +""
    end

    def gauge(name, help, value) = family(name, "gauge", help, value)
    def counter(name, help, value) = family(name, "counter", help, value)

    # series: [labels, counts per bucket (not cumulative, +Inf last), sum]
    def histogram(name, help, series)
      header(name, "histogram", help)
      series.each do |labels, buckets, sum|
        cumulative = 0
        buckets.each_with_index do |count, i|
          cumulative += count
          @text << "#{name}_bucket#{labels(labels.merge("le" => BUCKETS[i]&.to_f&.to_s || "+Inf"))} #{cumulative}\n"
        end
        @text << "#{name}_sum#{labels(labels)} #{sum.to_f}\n#{name}_count#{labels(labels)} #{cumulative}\n"
      end
      self
    end

    def to_s = @text

    private

    def family(name, type, help, value)
      header(name, type, help)
      @text << "#{name} #{value}\n"
      self
    end

    def header(name, type, help)
      @text << "# HELP #{name} #{help}\n# TYPE #{name} #{type}\n"
    end

    def labels(labels)
      pairs = labels.map { |name, value| %(#{name}="#{value.to_s.gsub(/[\\\n"]/, ESCAPES)}") }
      "{#{pairs.join(",")}}"
    end
  end
end
