"""Request and response models. Shapes and ranges follow apps/contract/openapi.yaml."""

import re
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from starlette.convertors import Convertor, register_url_convertor

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
UUID_PATTERN = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
EMAIL_PATTERN = r"^[^@\x00]+@[^@\x00]*\.[^@\x00]*$"  # one @, text before it, a dot after it
DECIMAL = re.compile(r"-?[0-9]+")


class DecimalIdConvertor(Convertor[int]):
    """A product or order id in a path: decimal digits, no sign, no leading zero (openapi.yaml)."""

    def __init__(self, max_digits: int) -> None:
        self.regex = f"[1-9][0-9]{{0,{max_digits - 1}}}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


class UuidConvertor(Convertor[UUID]):
    """A cart id in a path: 8-4-4-4-12 hex digits, either case."""

    regex = UUID_PATTERN

    def convert(self, value: str) -> UUID:
        return UUID(value)

    def to_string(self, value: UUID) -> str:
        return str(value)


# Path ids are part of routing: text of another form matches no route, so it is 404 before the
# method (405), the body or its Content-Type is looked at (RULES.md §1, §2).
register_url_convertor("product_id", DecimalIdConvertor(10))
register_url_convertor("order_id", DecimalIdConvertor(19))
register_url_convertor("cart_id", UuidConvertor())


def _json_integer(value: object) -> object:
    """JSON has one number type: 3 and 3.0 are integers; true, "3" and 3.5 are not (400)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _decimal(value: object) -> object:
    """A query-string integer is plain decimal digits: no '+', spaces, '_' or fraction (422)."""
    if isinstance(value, str) and not DECIMAL.fullmatch(value):
        raise PydanticCustomError("int_parsing", "Input should be a decimal integer")
    return value


def _text(value: str) -> str:
    """Text PostgreSQL can store: no NUL, no unpaired surrogate."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
QueryInt = Annotated[int, BeforeValidator(_decimal)]
Text = Annotated[str, AfterValidator(_text)]


class SearchParams(BaseModel):
    q: Annotated[Text | None, Field(max_length=200)] = None
    category: Annotated[QueryInt | None, Field(ge=1, le=INT32_MAX)] = None
    brand: Text | None = None
    min_price: Annotated[QueryInt | None, Field(ge=0, le=INT32_MAX)] = None
    max_price: Annotated[QueryInt | None, Field(ge=0, le=INT32_MAX)] = None
    in_stock: Literal["true", "false"] | None = None
    sort: Literal["relevance", "price_asc", "price_desc"] | None = None
    limit: Annotated[QueryInt, Field(ge=1, le=100)] = 20
    offset: Annotated[QueryInt, Field(ge=0, le=10000)] = 0

    @field_validator("q")
    @classmethod
    def _blank_is_absent(cls, q: str | None) -> str | None:
        return None if q is None or not q.strip(" \t\r\n") else q

    @field_validator("brand")
    @classmethod
    def _empty_is_absent(cls, brand: str | None) -> str | None:
        return brand or None

    @model_validator(mode="after")
    def _default_sort(self) -> Self:
        if self.sort is None:
            self.sort = "relevance" if self.q else "price_asc"
        return self


class ProductSummary(BaseModel):
    id: int
    sku: str
    name: str
    brand: str
    category_id: int
    price_cents: int
    in_stock: bool


class SearchPage(BaseModel):
    total: int
    total_exact: bool
    limit: int
    offset: int
    items: list[ProductSummary]


class Product(BaseModel):
    id: int
    sku: str
    name: str
    description: str
    brand: str
    category_id: int
    price_cents: int
    stock: int
    in_stock: bool


class Line(BaseModel):
    product_id: int
    name: str
    unit_price_cents: int
    quantity: int
    line_total_cents: int


class Cart(BaseModel):
    id: UUID
    items: list[Line]
    subtotal_cents: int


class Order(BaseModel):
    id: int
    cart_id: UUID
    email: str
    status: str
    items: list[Line]
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    created_at: str


class AddItemRequest(BaseModel):
    product_id: Annotated[JsonInt, Field(ge=1, le=INT32_MAX)]
    quantity: Annotated[JsonInt, Field(ge=1, le=100)]


class CheckoutRequest(BaseModel):
    cart_id: Annotated[str, Field(pattern=f"^{UUID_PATTERN}$")]
    email: Annotated[Text, Field(max_length=254, pattern=EMAIL_PATTERN)]
