"""trygg: an open platform for Nordic insurers and their customers."""

__version__ = "0.1.0"
