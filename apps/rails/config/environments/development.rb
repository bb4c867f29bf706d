require "active_support/core_ext/integer/time"

Rails.application.configure do
  # Reload code on change, load it lazily, and show full error reports.
  config.enable_reloading = true
  config.eager_load = false
  config.consider_all_requests_local = true
  config.server_timing = true

  # Print deprecation notices to the Rails logger.
  config.active_support.deprecation = :log

  # Highlight code that triggered database queries in logs.
  config.active_record.verbose_query_logs = true
end
