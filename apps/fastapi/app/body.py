"""JSON request bodies (RULES.md §1, §2): over 100 KiB is 413, then a media type other than
application/json is 415, then nesting deeper than 100 is 400, before the body model is validated."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from .errors import ApiError

BODY_LIMIT_BYTES = 102_400
MAX_JSON_DEPTH = 100


class LimitedBodyRequest(Request):
    """A request whose body is at most BODY_LIMIT_BYTES: a larger Content-Length is refused before
    anything is read, and a chunked body is no longer read once it passes the limit."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            if int(self.headers.get("content-length") or 0) > BODY_LIMIT_BYTES:
                raise HTTPException(413, f"a body holds at most {BODY_LIMIT_BYTES} bytes")
            body = bytearray()
            async for chunk in self.stream():
                body += chunk
                if len(body) > BODY_LIMIT_BYTES:
                    raise HTTPException(413, f"a body holds at most {BODY_LIMIT_BYTES} bytes")
            self._body = bytes(body)
        return self._body


class LimitedBodyRoute(APIRoute):
    """A route that reads its body through LimitedBodyRequest (FastAPI's custom APIRoute class)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited_body_handler(request: Request) -> Response:
            return await handler(LimitedBodyRequest(request.scope, request.receive))

        return limited_body_handler


def require_json(request: Request) -> None:
    """A body without Content-Type: application/json (parameters aside) is 415."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "send the body as application/json")


def nesting_exceeds(text: bytes, limit: int) -> bool:
    """Whether JSON text nests arrays and objects deeper than limit (brackets inside strings
    aside). A scan, not a parse, so it never recurses; few brackets need no scan at all."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in text:
        if escaped:
            escaped = False
        elif in_string:
            if byte == 0x5C:  # a backslash: the next byte cannot end the string
                escaped = True
            elif byte == 0x22:  # "
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif byte in b"]}":
            depth -= 1
    return False


async def limit_json_depth(request: Request) -> None:
    """A body nested deeper than MAX_JSON_DEPTH is 400, whatever else it holds."""
    if nesting_exceeds(await request.body(), MAX_JSON_DEPTH):
        raise ApiError(400, f"JSON nests at most {MAX_JSON_DEPTH} arrays and objects deep")


# The dependencies of a route with a JSON body, in the contract's order. FastAPI reads the body
# (413) and decodes it before they run, but decodes only a JSON Content-Type (strict_content_type,
# its default): any other body reaches require_json undecoded, so it is 415 even when malformed.
JSON_BODY = [Depends(require_json), Depends(limit_json_depth)]
