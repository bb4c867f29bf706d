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

module Shop
  class Application < Rails::Application
    # Initialize configuration defaults for originally generated Rails version.
    # (7.2's defaults include config.yjit = true: YJIT is turned on at boot when the Ruby was
    # built with it. Debian's ruby3.3 is not, so here it stays off; see README.md.)
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
  end
end
