"""Licensing: offers (open-licence declarations included), recorded licences and assignments, pledges,
and the register's legal-status events applied through them (``events``)."""
