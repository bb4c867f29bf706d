# For actions that read a JSON body: RULES.md §1 refuses one over 100 KiB (413, RequestBodyLimit)
# and wants `Content-Type: application/json` (media type compared case-insensitively, parameters
# ignored), both checked before the body is looked at.
module JsonBody
  extend ActiveSupport::Concern

  included do
    use RequestBodyLimit
    before_action :require_json_media_type
  end

  private

  # The parsed body: a Hash (lib/json_object_parser.rb), {} when the body is empty.
  def json_body
    request.request_parameters
  end

  def require_json_media_type
    return if request.media_type&.casecmp?("application/json")

    raise ApiError::UnsupportedMediaType, "send the body as application/json"
  end
end
