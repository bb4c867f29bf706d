# This API reads one kind of request body: JSON, on a POST (RULES.md §1–2). Any other body (a GET's,
# or form data, text, a bad media type) is never parsed: Rails would otherwise decode it for its
# instrumentation and for `params` before any action runs, and fail on what the contract says to
# ignore (a GET with `Content-Type: multipart/form-data` and no boundary, say). Its parameters are
# set to none; the body stays as sent, so JsonBody still answers 413 and 415 for it.
class JsonBodyOnly
  def initialize(app)
    @app = app
  end

  def call(env)
    # The method and media type as sent: Rails' own accessors raise on a method or a media type
    # they do not know.
    json_post = env["REQUEST_METHOD"] == "POST" && Rack::MediaType.type(env["CONTENT_TYPE"]) == "application/json"
    ActionDispatch::Request.new(env).request_parameters = {} unless json_post
    @app.call(env)
  end
end
