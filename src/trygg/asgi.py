import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
application = get_asgi_application()

# A non-production environment does not serve a database marked production (privacy.environment).
from trygg.privacy.environment import guard  # noqa: E402

guard("serve")

# As in wsgi.py: what is loaded by now lives as long as the process.
gc.freeze()
