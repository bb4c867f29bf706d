"""The WSGI callable gunicorn serves (`bakeoff.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakeoff.settings")

application = get_wsgi_application()
