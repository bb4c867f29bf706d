"""The WSGI callable gunicorn serves (`bakeoff.wsgi:application`): Django's, behind a
small WSGI middleware for chunked request bodies."""

import io
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakeoff.settings")


def read_chunked_body(app):
    """Gives Django a chunked request body as one of known length (RULES.md §1).

    Django reads `CONTENT_LENGTH` bytes of the body and nothing without it, so a body
    sent with `Transfer-Encoding: chunked` (gunicorn sets no length; its stream ends
    with the body) would look empty. This reads it, but never more than one byte past
    DATA_UPLOAD_MAX_MEMORY_SIZE: a longer body is cut there, and the length it is given
    still says it is too large (`request.body` raises RequestDataTooBig, 413)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def application(environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and "CONTENT_LENGTH" not in environ:
            body = environ["wsgi.input"].read(limit + 1)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return application


application = read_chunked_body(get_wsgi_application())
