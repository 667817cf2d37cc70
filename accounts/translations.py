"""Messages of our dependencies that their own Chinese catalogues lack, translated in this
app's catalogue (``accounts/locale``), which Django consults for every message.

- Django 5.2 changed the placeholder of the password validator's minimum-length message
  (``%(min_length)d`` became ``%d``); its zh_Hans catalogue still has the old one, so sign-up
  and password changes answered this message in English.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
