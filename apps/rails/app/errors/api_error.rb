# An error the contract names (RULES.md §2): a status, a code and a message, rendered by
# ApplicationController's rescue_from as {"error": {"code": ..., "message": ...}}.
class ApiError < StandardError
  class_attribute :status, :code

  def details = {}

  class BadRequest < ApiError
    self.status = :bad_request
    self.code = "bad_request"
  end

  class NotFound < ApiError
    self.status = :not_found
    self.code = "not_found"
  end

  # Raised by RequestBodyLimit, a middleware: rendered by the exceptions app, not by rescue_from.
  class PayloadTooLarge < ApiError
    self.status = :content_too_large
    self.code = "payload_too_large"

    def initialize(msg = "the body is larger than 100 KiB") = super
  end

  class UnsupportedMediaType < ApiError
    self.status = :unsupported_media_type
    self.code = "unsupported_media_type"
  end

  class ValidationFailed < ApiError
    self.status = :unprocessable_entity
    self.code = "validation_failed"
  end

  class CartCheckedOut < ApiError
    self.status = :conflict
    self.code = "cart_checked_out"

    def initialize(msg = "the cart is already checked out") = super
  end

  class OutOfStock < ApiError
    self.status = :conflict
    self.code = "out_of_stock"

    attr_reader :product_ids

    def initialize(product_ids)
      @product_ids = product_ids.sort
      super("not enough stock for products #{@product_ids.join(", ")}")
    end

    def details = { product_ids: }
  end
end
