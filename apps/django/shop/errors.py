"""The contract's error body for every failure (RULES.md §2): the exception that views
raise, the middleware that answers it, Django's 400/404/500 handlers, and the method
check (405)."""

from functools import wraps

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

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


class ApiError(Exception):
    """A failure the client should see: status, code, message and any extra fields."""

    def __init__(
        self, status: int, message: str, code: str | None = None, **extra: object
    ):
        super().__init__(message)
        self.status = status
        self.code = code or CODES[status]
        self.message = message
        self.extra = extra


class CartCheckedOut(ApiError):
    def __init__(self) -> None:
        super().__init__(
            409, "the cart is already checked out", code="cart_checked_out"
        )


def error_response(
    status: int, message: str, code: str | None = None, headers=None, **extra
) -> JsonResponse:
    body = {"error": {"code": code or CODES[status], "message": message, **extra}}
    return JsonResponse(body, status=status, headers=headers)


def database_unavailable(exc: Exception) -> bool:
    """Whether `exc` means the database did not answer: no connection in time, one
    refused or lost, a server shutting down (SQLSTATE classes 08 and 57)."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate[:2] in ("08", "57")


class ApiErrorMiddleware:
    """Answers an ApiError raised by a view, and a database that does not answer (503).
    Anything else goes on to Django, which logs it and calls handler500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApiError):
            return error_response(
                exception.status, exception.message, exception.code, **exception.extra
            )
        if database_unavailable(exception):
            request.error = exception  # for the access log (shop.middleware)
            return error_response(503, "the database does not answer")
        return None


def allow(method: str):
    """The view answers `method` only; any other is 405 with an Allow header. (Django
    has no handler405, and its require_http_methods answers with an empty body.)

    The views are csrf_exempt, as Django REST framework's are: CSRF forges a browser's
    cookie-authenticated request, and this API reads no cookies and knows no users. Its
    POSTs also need Content-Type: application/json, which no cross-site form sends."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != method:
                return error_response(
                    405,
                    f"{request.method} is not allowed here",
                    headers={"Allow": method},
                )
            return view(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator


# Django's error handlers (bakeoff/urls.py names them), used because DEBUG is off.


def bad_request(request, exception=None):
    return error_response(400, "bad request")


def not_found(request, exception=None):
    return error_response(404, f"nothing at {request.path}")


def server_error(request):
    return error_response(500, "internal error")
