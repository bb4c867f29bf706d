require "json"
require "logger"

# A Logger formatter writing one JSON object per line: `ts` (RFC 3339, UTC, milliseconds), `level`,
# then the message's fields when it is a Hash, or `message` when it is anything else.
class JsonLogFormatter < ::Logger::Formatter
  def call(severity, time, _progname, message)
    fields = message.is_a?(Hash) ? message : { message: msg2str(message) }
    "#{JSON.generate({ ts: time.utc.iso8601(3), level: severity.downcase, **fields })}\n"
  end
end
