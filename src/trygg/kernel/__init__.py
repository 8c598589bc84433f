"""Kernel: money, the business clock, identity numbers, domain errors, audit and tasks."""
