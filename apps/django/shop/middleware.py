"""The access log and the request-duration histogram (RULES.md §8), from the outermost
middleware: one JSON line per request through the `shop.access` logger (settings.LOGGING
gives it python-json-logger's formatter), and one observation per request."""

import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

from . import metrics

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

access_log = logging.getLogger("shop.access")


class AccessLogFormatter(JsonFormatter):
    """python-json-logger's formatter, with `ts` (RFC 3339 in UTC, `Z`) and a lower-case
    `level` first."""

    def add_fields(self, log_data, record, message_dict) -> None:
        ts = datetime.fromtimestamp(record.created, UTC)
        log_data["ts"] = ts.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        log_data["level"] = record.levelname.lower()
        super().add_fields(log_data, record, message_dict)


class AccessLogMiddleware:
    """Gives each request its id (the client's X-Request-Id when valid, else a UUID),
    echoes it on the response, times the request, and logs and counts it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-Id", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response["X-Request-Id"] = request.id

        match = getattr(request, "resolver_match", None)  # None: no route matched
        route = "/" + match.route if match is not None else None
        status = response.status_code
        metrics.observe(request.method, route, status, seconds)

        fields = {
            "method": request.method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 3),
            "request_id": request.id,
        }
        if status < 500:
            access_log.info("request", extra=fields)
        else:
            error = getattr(request, "error", None)
            fields["error"] = (
                describe(error, status) if error else response.reason_phrase
            )
            access_log.error("request", extra=fields)
        return response

    def process_exception(self, request, exception):
        # Reached only when no inner middleware answered the exception: Django's
        # handler500 will, after this. (ApiErrorMiddleware notes a 503's cause too.)
        request.error = exception


def describe(error: Exception, status: int) -> str:
    """The error's message; for a fault of the app (500), then its stack trace."""
    message = f"{type(error).__name__}: {error}"
    if status != 500:
        return message
    return message + "\n" + "".join(traceback.format_exception(error))
