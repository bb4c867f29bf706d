# POST /checkout: {"cart_id": uuid, "email": ...} and an optional Idempotency-Key header.
class CheckoutForm < ApplicationForm
  UUID = /\A\h{8}-\h{4}-\h{4}-\h{4}-\h{12}\z/
  # openapi.yaml's pattern: one @, something before it, a dot somewhere after it, no NUL.
  EMAIL = /\A[^@\0]+@[^@\0]*\.[^@\0]*\z/
  # 1..64 visible ASCII characters.
  IDEMPOTENCY_KEY = /\A[\x21-\x7E]{1,64}\z/

  field :cart_id, :string
  field :email, :string
  attr_accessor :idempotency_key

  validates :cart_id, format: { with: UUID, message: "is not a UUID" }
  validates :email, text: true, length: { maximum: 254 }, format: { with: EMAIL }
  validates :idempotency_key, format: { with: IDEMPOTENCY_KEY }, allow_nil: true
end
