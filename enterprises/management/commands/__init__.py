"""``expire_demands``, ``send_reminders``, ``send_alerts`` (scheduled) and
``evaluate_matching``."""
