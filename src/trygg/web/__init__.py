"""The customer portal shell: pages, middleware, security headers."""
