from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprise demand")

    def ready(self) -> None:
        from patents.licensing.offers import offer_published

        offer_published.connect(_rematch_on_publish, dispatch_uid="enterprises.rematch")


def _rematch_on_publish(sender: Any, offer: Any, **kwargs: Any) -> None:
    """A newly published offer can enter live demands' matches (DESIGN.md 5): the
    re-matching is a job (``enterprises.tasks.rematch_offer``), deferred once the
    publication has committed, so the operator's request does not wait for it."""
    from enterprises.tasks import rematch_offer

    rematch_offer.defer(offer_id=offer.pk)
