"""/api/v1/notifications/: the signed-in user's inbox."""
