"""Shared API base: errors, pagination, throttling, permissions and the OpenAPI vocabulary."""
