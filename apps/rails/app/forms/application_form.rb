# A request body as a form object (RULES.md §2). Building one checks the JSON types first: a
# missing or null field, or one of the wrong JSON type, raises ApiError::BadRequest (400). Only
# then are the values validated with Active Model (ActiveModel::ValidationError, 422). Unknown
# fields are ignored.
class ApplicationForm
  include ActiveModel::Model

  INT32_MAX = 2**31 - 1

  class_attribute :json_fields, instance_writer: false, default: {}

  # Declares a field of the body: +type+ is :integer or :string.
  def self.field(name, type)
    self.json_fields = json_fields.merge(name.to_s => type)
    attr_accessor name
  end

  # The form for +body+ (a parsed JSON object) plus +extra+ attributes (headers, path ids);
  # raises unless it is valid.
  def self.from_json!(body, **extra)
    values = json_fields.to_h { |name, type| [ name, json_value(body[name], name, type) ] }
    new(**values, **extra).tap(&:validate!)
  end

  # An integer is a JSON number with an integral value (3, 3.0, 3e0); true, "3" or 3.5 are not.
  # Its range is the validations' business, so 1e30 passes through as a (large) Integer.
  def self.json_value(value, name, type)
    raise ApiError::BadRequest, "#{name} is required" if value.nil?

    case [ type, value ]
    in [ :string, String ] then value
    in [ :integer, Integer ] then value
    in [ :integer, Float ] if value.finite? && value == value.floor then value.to_i
    else raise ApiError::BadRequest, "#{name} must be a JSON #{type == :string ? "string" : "integer"}"
    end
  end
  private_class_method :json_value
end
