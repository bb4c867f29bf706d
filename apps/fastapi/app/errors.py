"""The contract's error body for every failure (RULES.md §2), and the handlers that produce it."""

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

# Pydantic error types that mean "well-formed, but the value is not allowed" (422).
# Every other body error (missing, wrong type, bad JSON) is a malformed request (400).
VALUE_ERRORS = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "int_parsing_size",
    "string_too_long",
    "string_too_short",
    "too_long",
    "too_short",
    "string_pattern_mismatch",
    "literal_error",
    "value_error",
}

CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    500: "internal",
    503: "unavailable",
}

# Errors that mean the database cannot be reached (TimeoutError and refused connections are OSErrors).
UNAVAILABLE = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.TooManyConnectionsError,
)


class ApiError(Exception):
    """A failure the client should see, with its status, code and any extra fields."""

    def __init__(self, status: int, message: str, code: str | None = None, **extra: object):
        super().__init__(message)
        self.status = status
        self.code = code or CODES[status]
        self.message = message
        self.extra = extra


class CartCheckedOut(ApiError):
    def __init__(self) -> None:
        super().__init__(409, "the cart is already checked out", code="cart_checked_out")


def error_response(status: int, code: str, message: str, headers=None, **extra) -> JSONResponse:
    body = {"error": {"code": code, "message": message, **extra}}
    return JSONResponse(body, status_code=status, headers=headers)


async def api_error(_: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, **exc.extra)


async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    malformed = any(e["loc"][:1] == ("body",) and e["type"] not in VALUE_ERRORS for e in errors)
    status = 400 if malformed else 422
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    return error_response(status, CODES[status], f"{where}: {first['msg']}")


async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
    code = CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal")
    return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    request.state.error = exc  # for the access log
    return error_response(503, "unavailable", f"database unavailable: {exc}")


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette runs this handler outside the app's middleware, so the request id is added here.
    return error_response(500, "internal", "internal error", headers={"X-Request-Id": request.state.request_id})


def install(app: FastAPI) -> None:
    """Registers the handlers so that no error leaves the app in another shape."""
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    for exc_type in UNAVAILABLE:
        app.add_exception_handler(exc_type, database_unavailable)
    app.add_exception_handler(Exception, internal_error)
