"""Licensing: offers (open-licence declarations included), recorded licences and assignments, pledges."""
