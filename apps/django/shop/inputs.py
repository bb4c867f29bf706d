"""JSON request bodies, checked by hand (RULES.md §1, §2).

Django forms are built for form data, where every value is a string: an IntegerField
takes "3" and 3 alike. The contract tells JSON types apart (a string where an integer
belongs is 400, an integer out of range 422), so a body is read in two steps:
`json_object` and the `*_field` functions check form and types (400), then the `check_*`
functions check values (422).
"""

import json
import math
import re

from django.core.exceptions import RequestDataTooBig

from .errors import ApiError

INT32_MAX = 2**31 - 1
UUID_TEXT = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")
# openapi.yaml's pattern: one @, something before it, a dot somewhere after it, no NUL.
EMAIL = re.compile(r"[^@\x00]+@[^@\x00]*\.[^@\x00]*")
MAX_DEPTH = 100  # levels of arrays and objects in a body (RULES.md §2)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_object(request) -> dict:
    """The body as a JSON object, checked in the contract's order (RULES.md §2): 413
    over the upload limit (from Content-Length, before reading), 415 unless it is sent
    as application/json, 400 unless it is UTF-8 JSON, at most MAX_DEPTH deep, whose top
    level is an object."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, "the body is larger than 100 KiB") from None
    if request.content_type != "application/json":
        raise ApiError(415, "send the body as application/json")
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "the body is not valid JSON") from None
    if nesting_depth(body) > MAX_DEPTH:
        raise ApiError(400, f"the body is nested deeper than {MAX_DEPTH} levels")
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


def nesting_depth(value: object) -> int:
    """Levels of arrays and objects, the top level being 1 (`{"a": [1]}` is 2), counted
    with a stack rather than recursion. (Python's parser stops at its recursion limit,
    far deeper than MAX_DEPTH: RecursionError above.)"""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in item)
    return deepest


def _present(body: dict, name: str) -> object:
    value = body.get(name)
    if value is None:
        raise ApiError(400, f"{name} is required")
    return value


def int_field(body: dict, name: str) -> int:
    """A JSON number with an integral value (3, 3.0, 3e0); true, "3", 3.5 and non-finite
    numbers are not integers. The range is the caller's to check (422)."""
    value = _present(body, name)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"{name} must be an integer")
    return value


def str_field(body: dict, name: str) -> str:
    value = _present(body, name)
    if not isinstance(value, str):
        raise ApiError(400, f"{name} must be a string")
    return value


def check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ApiError(422, f"{name} must be between {low} and {high}")


def check_text(name: str, value: str) -> None:
    """Text PostgreSQL can store: no NUL, no lone surrogate (JSON can escape both)."""
    if "\x00" in value:
        raise ApiError(422, f"{name} must not contain NUL")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ApiError(422, f"{name} must be valid Unicode") from None


def check_email(email: str) -> None:
    """openapi.yaml's pattern, at most 254 characters, and valid Unicode."""
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise ApiError(422, "email must look like name@example.com")
    check_text("email", email)


def idempotency_key(request) -> str | None:
    """The Idempotency-Key header: 1 to 64 visible ASCII characters, or absent."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiError(422, "Idempotency-Key must be 1 to 64 visible ASCII characters")
    return key
