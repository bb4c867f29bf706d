# The exceptions app (config/application.rb) and the target of the 405 routes (config/routes.rb).
# A bare ActionController::Metal: unlike ActionController::API it never parses the request's
# parameters, which may be the very thing that failed.
class ErrorsController < ActionController::Metal
  CODES = {
    400 => "bad_request",
    404 => "not_found",
    405 => "method_not_allowed",
    413 => "payload_too_large",
    415 => "unsupported_media_type",
    422 => "validation_failed",
    503 => "unavailable"
  }.freeze

  # ShowExceptions calls this with PATH_INFO set to "/<status>" (ActionDispatch::ExceptionWrapper's
  # status for the exception). Anything unexpected is 500 `internal`.
  def show
    status = request.path_info.delete_prefix("/").to_i
    status = undecodable_request_status if status == 400 || status == 406
    return unknown_method if status == 405

    status = 500 unless CODES.key?(status)
    render_error status, CODES.fetch(status, "internal"), Rack::Utils::HTTP_STATUS_CODES[status]
  end

  def method_not_allowed
    allow = request.path_parameters[:allow]
    headers["Allow"] = allow
    render_error 405, "method_not_allowed", "#{request.path} takes only #{allow}"
  end

  private

  # A method Rails does not know (QUERY, FOO) fails before routing (UnknownHttpMethod, 405). The
  # path decides, as for any other method: the 405 routes (config/routes.rb) take every known
  # method but the path's own, so asking the router with one the contract never uses finds the
  # path's Allow, or no route (404).
  def unknown_method
    path = request.get_header("action_dispatch.original_path")
    allow = Rails.application.routes.recognize_path(path, method: "OPTIONS")[:allow]
    headers["Allow"] = allow
    render_error 405, "method_not_allowed", "#{path} takes only #{allow}"
  rescue ActionController::RoutingError
    render_error 404, "not_found", "Not Found"
  end

  # Rails raises 400 (parameters Rack cannot decode) or 406 (a Content-Type it cannot parse)
  # before the action runs. RULES.md's precedence decides: 415 for an action that reads a JSON
  # body and was not sent one; 422 for a GET, whose only parameters are in the query string
  # (every wrong query parameter is 422); 400 otherwise.
  def undecodable_request_status
    if reads_json_body? && !request.media_type.to_s.casecmp?("application/json")
      415
    elsif original_method == "GET"
      422
    else
      400
    end
  end

  # ShowExceptions turns the request into a GET before calling the exceptions app.
  def original_method
    request.get_header("action_dispatch.original_request_method") || request.request_method
  end

  def reads_json_body?
    controller = request.path_parameters[:controller]
    controller.present? && request.controller_class_for(controller).include?(JsonBody)
  rescue ActionController::RoutingError
    false
  end

  def render_error(status, code, message)
    self.status = status
    self.content_type = "application/json; charset=utf-8"
    self.response_body = { error: { code:, message: } }.to_json
  end
end
