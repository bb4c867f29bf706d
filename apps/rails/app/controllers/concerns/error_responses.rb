# Every error a controller raises becomes the contract's body (RULES.md §2):
# {"error": {"code": "...", "message": "..."}}. Errors that never reach a controller (unknown
# routes, a fault in a middleware, an unexpected exception) go to ErrorsController, the app's
# exceptions_app, which renders the same shape.
module ErrorResponses
  extend ActiveSupport::Concern

  included do
    # Handlers are tried from the last declared to the first.
    rescue_from ActiveRecord::ConnectionNotEstablished, ActiveRecord::ConnectionFailed, with: :database_unavailable
    rescue_from ActionDispatch::Http::Parameters::ParseError, with: :malformed_body
    rescue_from ActiveRecord::RecordNotFound, with: :record_not_found
    rescue_from ActiveModel::ValidationError, with: :validation_failed
    rescue_from ApiError, with: :api_error
  end

  private

  def render_error(status, code, message, **details)
    render status:, json: { error: { code:, message:, **details } }
  end

  def api_error(error)
    render_error error.status, error.code, error.message, **error.details
  end

  def validation_failed(error)
    render_error :unprocessable_entity, "validation_failed", error.model.errors.full_messages.to_sentence
  end

  def record_not_found(error)
    render_error :not_found, "not_found", "no such #{error.model&.underscore&.humanize(capitalize: false) || "resource"}"
  end

  # A body Rails could not parse is malformed (400), except text with an unpaired surrogate,
  # which is a value the contract refuses (422): see lib/json_object_parser.rb.
  def malformed_body(error)
    if error.cause.is_a?(JsonObjectParser::InvalidText)
      render_error :unprocessable_entity, "validation_failed", error.cause.message
    else
      render_error :bad_request, "bad_request", "malformed body: #{error.cause&.message}"
    end
  end

  def database_unavailable(error)
    logger.warn { "database unavailable: #{error.class}: #{error.message}" }
    render_error :service_unavailable, "unavailable", "the database does not answer"
  end
end
