"""Parties: persons and organisations, customer numbers, contact details, sole-trader links."""
