"""The supply side's admin: reference schemes (read-only), the register (holders, members,
patents) and licensing (the offers' review queue, licence records, pledges); the
import/export resources they share are in ``resources``; background exports and imports
(read-only) in ``jobs``.

Django's admin autodiscovery imports this package; importing the modules registers their
ModelAdmins.
"""

from patents.admin import jobs, licensing, reference, register  # noqa: F401 - registers the admins
