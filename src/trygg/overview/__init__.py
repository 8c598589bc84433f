"""The customer's overview: every engagement the logged-in person sees, gathered from each
domain, shared by the portal page and the API."""
