# `validates :email, text: true`: RULES.md §2 refuses text holding U+0000 or an unpaired surrogate
# (which leaves a Ruby string invalidly encoded), and anything that is not a string at all.
class TextValidator < ActiveModel::EachValidator
  def validate_each(record, attribute, value)
    return if value.is_a?(String) && value.valid_encoding? && !value.include?("\u0000")

    record.errors.add(attribute, :invalid, message: options[:message] || "is not valid text")
  end
end
