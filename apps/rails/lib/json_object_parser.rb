require "json"

# The JSON request-body parser (config/initializers/json_body.rb registers it for
# application/json). Stricter than Rails' default in what RULES.md §1–2 ask:
#
# - the body must be UTF-8 and one JSON object: anything else is malformed (400);
# - text holding an unpaired surrogate escape ("\ud800") is a wrong value (422), which Ruby's
#   JSON either refuses to parse or returns as an invalidly encoded string: such a body raises
#   InvalidText, which the controllers answer with 422.
#
# Rails wraps whatever a parser raises in ActionDispatch::Http::Parameters::ParseError, keeping it
# as the error's `cause`.
module JsonObjectParser
  class InvalidText < StandardError; end

  def self.call(raw)
    raise JSON::ParserError, "the body is not UTF-8" unless raw.dup.force_encoding(Encoding::UTF_8).valid_encoding?

    data = JSON.parse(raw)
    raise JSON::ParserError, "the body is not a JSON object" unless data.is_a?(Hash)
    raise InvalidText, "the body holds an unpaired surrogate" unless valid_text?(data)

    data
  rescue JSON::ParserError => e
    raise InvalidText, e.message if e.message.include?("surrogate")
    raise
  end

  def self.valid_text?(value)
    case value
    when String then value.valid_encoding?
    when Hash then value.all? { |key, item| valid_text?(key) && valid_text?(item) }
    when Array then value.all? { |item| valid_text?(item) }
    else true
    end
  end
end
