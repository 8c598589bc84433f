import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
application = get_wsgi_application()

# A non-production environment does not serve a database marked production (privacy.environment).
from trygg.privacy.environment import guard  # noqa: E402

guard("serve")

# What is loaded by now (Django, the apps, their modules) lives as long as the process: take it
# out of the garbage collector's way, so that a full collection walks only what requests made.
# Without this one full collection in about a thousand requests walks some 170,000 objects and
# holds up a request for over 100 ms.
gc.freeze()
