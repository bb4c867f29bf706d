"""The access log and the request-duration histogram (RULES.md §8), from a pure ASGI middleware: one JSON line per
request on stdout through the `app.access` logger and python-json-logger, and one observation per request."""

import logging
import re
import time
import traceback
import uuid

from pythonjsonlogger.json import JsonFormatter
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import metrics

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class AccessLogFormatter(JsonFormatter):
    """python-json-logger's formatter with RULES.md §8's `ts` (RFC 3339, UTC, `Z`) and lower-case `level`."""

    def process_log_record(self, log_data: dict) -> dict:
        log_data["ts"] = log_data["ts"].isoformat(timespec="milliseconds").replace("+00:00", "Z")
        log_data["level"] = log_data["level"].lower()
        return log_data


# For logging.config.dictConfig (main.py). Only app.access writes to stdout; gunicorn and Uvicorn keep their own
# (non-access) logs on stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": AccessLogFormatter,
            "fmt": "{levelname}{message}",
            "style": "{",
            "rename_fields": {"levelname": "level"},
            "timestamp": "ts",
        }
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "loggers": {"app.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False}},
}

access_log = logging.getLogger("app.access")


class AccessLogMiddleware:
    """Gives each request its id (a valid incoming X-Request-Id, else a UUID) in `request.state.request_id`, echoes
    it on the response, and logs and counts the request once the response is sent. An exception that escapes the
    app is logged here and goes on to FastAPI's 500 handler (errors.internal_error)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            state["error"] = exc
            status = 500
            raise
        finally:
            self.record(scope, status, time.perf_counter() - started)

    def record(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = route.path_format if route is not None else None  # /products/{product_id}
        # No route matched: "none" in the label (an empty value would read as no label at all), null in the log.
        metrics.REQUEST_DURATION.labels(scope["method"], template or "none", str(status)).observe(seconds)
        metrics.worker.publish(getattr(scope["app"].state, "pool", None))

        state = scope["state"]
        fields = {
            "method": scope["method"],
            "route": template,
            "status": status,
            "duration_ms": round(seconds * 1000, 3),
            "request_id": state["request_id"],
        }
        if status < 500:
            access_log.info("request", extra=fields)
            return
        error = state.get("error")
        if error is None:
            fields["error"] = f"status {status}"
        elif status == 500:  # a fault of the app: its stack trace too
            fields["error"] = "".join(traceback.format_exception_only(error) + traceback.format_exception(error))
        else:
            fields["error"] = "".join(traceback.format_exception_only(error)).strip()
        access_log.error("request", extra=fields)
