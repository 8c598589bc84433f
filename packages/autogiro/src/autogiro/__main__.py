"""``python -m autogiro show FILE``."""

import sys

from .cli import main

sys.exit(main())
