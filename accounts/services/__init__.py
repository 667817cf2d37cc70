"""Writes of accounts and memberships, one module per aggregate: ``signup`` (sign-up and
e-mail verification, on django-allauth), ``tokens`` (API tokens), ``holders`` (registering a
holder, requests to join one, decisions) and ``invitations`` (enterprise invitations).

Each write is keyword-only with the acting user, in one transaction, ``full_clean`` before
saving, history stamped through ``conversion_db.services``; errors are Django
``ValidationError`` with field keys and stable codes (400), ``StaleVersion`` (412)."""
