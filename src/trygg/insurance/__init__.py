"""Accident insurance: tariff, quotes, applications, underwriting and policies."""
