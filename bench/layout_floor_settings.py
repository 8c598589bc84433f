"""trygg's settings with the URLs of ``layout_floor`` (trygg's and two pages for the bench)."""

from trygg.settings import *  # noqa: F403

ROOT_URLCONF = "layout_floor"
