import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
application = get_asgi_application()

# As in wsgi.py: what is loaded by now lives as long as the process.
gc.freeze()
