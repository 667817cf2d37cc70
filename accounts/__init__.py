"""People and what they act for: sign-up, sign-in, API tokens, brute-force lockout, and the
ways into a holder or an enterprise (registering a holder, asking to join one, inviting a
colleague to an enterprise).

- ``models``: API tokens (django-rest-knox, hashed), holder requests (a registration to
  verify, or a request to join) and enterprise invitations, each with history.
- ``services``: every write (``signup``, ``tokens``, ``holders``, ``invitations``).
- ``selectors``: reads, visibility applied. ``permissions``: who may decide what, and the
  403 that says what the person lacks.
- ``signals``: what happened, for the notifications app; ``mail``: the plain mails that must
  reach the person today.
- ``api``: ``/api/v1/auth/…``, ``/api/v1/holders/…``, ``/api/v1/holder-requests/…``,
  ``/api/v1/invitations/…``. ``admin``: the operators' queue.

It sits above ``enterprises`` and ``patents`` (it imports them; they never import it).
"""
