# GET /metrics: the whole app's figures in the Prometheus text format (RULES.md §8), summed over
# Puma's workers by lib/metrics.rb.
class MetricsController < ActionController::Metal
  def show
    self.content_type = Metrics::CONTENT_TYPE
    self.response_body = Metrics.exposition
  end
end
