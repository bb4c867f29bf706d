# Request bodies sent as application/json are parsed by JsonObjectParser (lib/), which holds them
# to RULES.md §1–2: one UTF-8 JSON object. Other media types are not parsed at all; the routes
# that read a body answer them with 415 (JsonBody concern).
require_relative "../../lib/json_object_parser"

ActionDispatch::Request.parameter_parsers = { json: JsonObjectParser.method(:call) }
