# This API reads one kind of request body: JSON, on a POST (RULES.md §1–2). Rails looks at any other
# body and its Content-Type before an action runs (its instrumentation and `params` decode form data,
# the parameters wrapper looks the media type up) and fails on what the contract says to ignore:
# a GET sent with `Content-Type: multipart/form-data` and no boundary, or with `;;;`. So such a
# request reaches Rails with no body parameters and no Content-Type. The body stays as sent, with
# its length: a body route still answers 413 for it, then 415 (no Content-Type).
class JsonBodyOnly
  def initialize(app)
    @app = app
  end

  def call(env)
    # The method and media type as sent: Rails' own accessors raise on a method or a media type
    # they do not know.
    json_post = env["REQUEST_METHOD"] == "POST" && Rack::MediaType.type(env["CONTENT_TYPE"]) == "application/json"
    unless json_post
      ActionDispatch::Request.new(env).request_parameters = {}
      env.delete("CONTENT_TYPE")
    end
    @app.call(env)
  end
end
