"""JSON request bodies (RULES.md §1, §2): over 100 KiB is 413, then a media type other than
application/json is 415, then malformed JSON or nesting deeper than 100 is 400, before the body
model is validated."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from .errors import ApiError

BODY_LIMIT_BYTES = 102_400
MAX_JSON_DEPTH = 100


class JsonBodyRequest(Request):
    """A request whose body is checked as it is read, in the contract's order: a Content-Length over
    BODY_LIMIT_BYTES is 413 before anything is read, a media type other than application/json 415
    (before FastAPI decodes anything), and a chunked body is no longer read once it passes the
    limit (413)."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            if int(self.headers.get("content-length") or 0) > BODY_LIMIT_BYTES:
                raise HTTPException(413, f"a body holds at most {BODY_LIMIT_BYTES} bytes")
            if self.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
                raise HTTPException(415, "send the body as application/json")
            body = bytearray()
            async for chunk in self.stream():
                body += chunk
                if len(body) > BODY_LIMIT_BYTES:
                    raise HTTPException(413, f"a body holds at most {BODY_LIMIT_BYTES} bytes")
            self._body = bytes(body)
        return self._body


class JsonBodyRoute(APIRoute):
    """A route that reads its body through JsonBodyRequest (FastAPI's custom APIRoute class)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def json_body_handler(request: Request) -> Response:
            return await handler(JsonBodyRequest(request.scope, request.receive))

        return json_body_handler


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


# The dependencies of a route with a JSON body: they run after FastAPI has read (413, 415) and
# decoded (400) the body, before the body model is validated (400, 422).
JSON_BODY = [Depends(limit_json_depth)]
