require "active_support/core_ext/integer/time"

Rails.application.configure do
  # Settings specified here will take precedence over those in config/application.rb.

  # Code is not reloaded between requests.
  config.enable_reloading = false

  # Eager load code on boot, so Puma's workers share it copy-on-write.
  config.eager_load = true

  # Full error reports are disabled.
  config.consider_all_requests_local = false

  # The app signs and encrypts nothing (no sessions, cookies or credentials), but Rails wants a
  # secret_key_base in production: take SECRET_KEY_BASE when given, else a random one per boot.
  config.secret_key_base = ENV.fetch("SECRET_KEY_BASE") { SecureRandom.hex(64) }

  # There is nothing under public/ to serve.
  config.public_file_server.enabled = false

  # Log to STDOUT as JSON lines (lib/json_log_formatter.rb), like the access log. "warn" by
  # default: Rails' own per-request lines ("Started GET …", "Completed 200 …") are logged at info,
  # and RULES.md §7 wants the access log of §8 (lib/request_instrumentation.rb) as the only one.
  config.logger = ActiveSupport::Logger.new($stdout, formatter: JsonLogFormatter.new)
    .then { |logger| ActiveSupport::TaggedLogging.new(logger) }
  config.log_level = ENV.fetch("RAILS_LOG_LEVEL", "warn")

  # Don't log the expected 4xx (unknown routes, records not found) as errors.
  config.action_dispatch.log_rescued_responses = false

  # Don't log any deprecations.
  config.active_support.report_deprecations = false

  # Do not dump schema after migrations.
  config.active_record.dump_schema_after_migration = false

  # Only use :id for inspections in production.
  config.active_record.attributes_for_inspect = [ :id ]
end
