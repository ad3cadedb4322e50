"""The WSGI application. It imports every URL module (hence every view, serializer and
template tag library they import) when it is loaded rather than on the first request: gunicorn
loads it once in the master (``preload_app``) and each forked worker starts warm, instead of
every worker compiling the project on its first requests — the deadline-day surge measured that
as 6 % of the server's time in its first half minute. The public 证书核验 paths are served
with fewer middleware (``common/public_lookup.py``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
django_application = get_wsgi_application()

# Both need the settings set up just above.
from django.urls import get_resolver  # noqa: E402

from zhicheng.common.public_lookup import with_public_lookups  # noqa: E402

get_resolver().url_patterns  # noqa: B018  (imports the URL modules)
application = with_public_lookups(django_application)
