"""The demand side's REST API under ``/api/v1/``: viewsets over one base, serializers,
OpenAPI examples and routes."""
