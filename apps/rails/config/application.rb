require_relative "boot"

require "rails"
# Pick the frameworks you want:
require "active_model/railtie"
require "active_record/railtie"
require "action_controller/railtie"

# Require the gems listed in Gemfile, including any gems
# you've limited to :test, :development, or :production.
Bundler.require(*Rails.groups)

require_relative "../lib/json_body_only"
require_relative "../lib/request_id"
require_relative "../lib/request_instrumentation"

module Shop
  class Application < Rails::Application
    # Initialize configuration defaults for originally generated Rails version.
    # (7.2's defaults include config.yjit = true: YJIT is turned on at boot when the Ruby was
    # built with it; see README.md.)
    config.load_defaults 7.2

    # lib/ holds code needed before the app boots (config/puma.rb, the JSON body parser and
    # middleware); it is
    # required explicitly, not autoloaded.

    # Only loads a smaller set of middleware suitable for API only apps.
    config.api_only = true

    # Errors that escape a controller (unknown routes, unknown HTTP methods, a failure in a
    # middleware) are rendered by ErrorsController in the contract's error shape.
    config.exceptions_app = ->(env) { ErrorsController.action(:show).call(env) }
    config.action_dispatch.rescue_responses["ApiError::PayloadTooLarge"] = :content_too_large

    # Request bodies other than a POST's JSON are never parsed (lib/json_body_only.rb).
    config.middleware.use JsonBodyOnly

    # RULES.md §8: every request's access log line and duration, from the outermost middleware, and
    # its id, with the contract's rule for a valid incoming one (lib/).
    config.middleware.insert_before 0, RequestInstrumentation
    config.middleware.swap ActionDispatch::RequestId, RequestId
  end
end
