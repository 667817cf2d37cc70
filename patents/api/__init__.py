"""The supply side's REST API under /api/v1/: the reference schemes, patents, offers, licence
records, pledges and the offer feed (viewsets, serializers, schema examples, routes)."""
