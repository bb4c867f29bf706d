# Refuses a request body over 100 KiB with 413 (RULES.md §1), from its length alone: nothing reads
# it. A controller middleware (JsonBody `use`s it), so it runs after routing has answered 404 and
# 405 and before the action parses the body or checks its media type (415). The exception is
# rendered by the exceptions app (config/application.rb maps it to 413).
#
# Puma reads a whole request before the app sees it; Puma 6.6's own limit
# (`http_content_length_limit`) answers plain text and does not bound a chunked body, so the limit
# is the app's. For a chunked body Puma gives the length it read as CONTENT_LENGTH.
class RequestBodyLimit
  LIMIT = 100 * 1024

  def initialize(app)
    @app = app
  end

  def call(env)
    raise ApiError::PayloadTooLarge if Rack::Request.new(env).content_length.to_i > LIMIT

    @app.call(env)
  end
end
