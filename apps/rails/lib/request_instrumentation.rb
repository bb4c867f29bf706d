require "rack/body_proxy"
require_relative "json_log_formatter"
require_relative "metrics"

# The outermost middleware: times every request from its arrival and, once its response has been
# sent (when Puma closes the body, as Rack::CommonLogger does it), writes its access log line and
# its request-duration observation (RULES.md §8).
class RequestInstrumentation
  def initialize(app, logger: ActiveSupport::Logger.new($stdout, formatter: JsonLogFormatter.new))
    @app = app
    @logger = logger
  end

  def call(env)
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    # As sent: the exceptions app sees every request as a GET.
    method = env["REQUEST_METHOD"]
    status, headers, body = @app.call(env)
    body = Rack::BodyProxy.new(body) do
      finish(env, method, status, Process.clock_gettime(Process::CLOCK_MONOTONIC) - started)
    end
    [status, headers, body]
  end

  private

  def finish(env, method, status, seconds)
    route = route_template(env)
    Metrics.observe_request(method:, route: route.to_s, status:, seconds:)
    line = { method:, route:, status:, duration_ms: (seconds * 1000).round(3),
             request_id: env["action_dispatch.request_id"] }
    if status >= 500
      error = env["action_dispatch.exception"]
      @logger.error(line.merge(error: error ? "#{error.class}: #{error.message}" : Rack::Utils::HTTP_STATUS_CODES[status]))
    else
      @logger.info(line)
    end
  end

  # The route as config/routes.rb spells it ("/carts/:cart_id/items"), or nil when none matched. The
  # router records the pattern of each route it tries, so one whose constraint refused the request
  # leaves its pattern behind: a RoutingError says none matched.
  def route_template(env)
    return if env["action_dispatch.exception"].is_a?(ActionController::RoutingError)

    env["action_dispatch.route_uri_pattern"]
  end
end
