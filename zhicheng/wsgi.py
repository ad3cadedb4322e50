"""The WSGI application. It imports every URL module (hence every view, serializer and
template tag library they import) when it is loaded rather than on the first request: gunicorn
loads it once in the master (``preload_app``) and each forked worker starts warm, instead of
every worker compiling the project on its first requests — the deadline-day surge measured that
as 6 % of the server's time in its first half minute."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402  (needs the settings set up just above)

get_resolver().url_patterns  # noqa: B018  (imports the URL modules)
