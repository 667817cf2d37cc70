"""Files in and out for the supply side: the import kinds of patents (``patents``), offers
(``offers``), and licence records and pledges (``registrations``, sharing ``records``
with offers), each on the tabular kit (``conversion_db.tabular``)."""
