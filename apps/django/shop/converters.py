"""Path converters for the contract's ids (RULES.md §1). Text of another form matches no
route, so it is 404 like an unknown id; a converter's ValueError is no match too."""

import uuid


class DecimalId:
    """Decimal digits, no sign, no leading zero, at most `maximum`."""

    maximum: int

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > self.maximum:
            raise ValueError(f"{value} is out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class ProductId(DecimalId):
    regex = "[1-9][0-9]{0,9}"
    maximum = 2**31 - 1  # products.id is an integer


class OrderId(DecimalId):
    regex = "[1-9][0-9]{0,18}"
    maximum = 2**63 - 1  # orders.id is a bigint


class CartId:
    """A UUID in either case (Django's own `uuid` converter takes lower case only)."""

    regex = (
        "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
    )

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID) -> str:
        return str(value)
