"""Writes of saved searches: save, change and delete an enterprise member's saved patent
or offer search, checked the way the list checks its query string.

A saved search stores the query string of ``/api/v1/patents/`` or ``/api/v1/offers/`` as
``{parameter: [values]}``; ``clean_query`` checks it with the list's own FilterSet. What
newly matches it is read by ``enterprises.selectors.saved_search_new_results``; the alert
e-mails are ``enterprises.services.alerts``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, acting_user, history_user, locked, stamp
from enterprises.models import Enterprise, SavedSearch
from enterprises.permissions import may_change_saved_search
from enterprises.selectors import (
    SAVED_SEARCH_ORDERINGS,
    accepted_parameters,
    current_watermarks,
    query_dict,
)
from enterprises.services.validation import field_error
from patents.models import LicensingOffer, Patent

MAX_PARAMETERS = 30
MAX_VALUES = 50
MAX_VALUE_LENGTH = 500
SAVED_SEARCH_FIELDS = ("name", "target", "query", "alerts_enabled")


def _query_error(param: str, message: Any, code: str) -> ValidationError:
    return field_error(f"query.{param}", message, code)


def _values(param: str, raw: Any) -> list[str]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _query_error(
            param, _("Give a parameter's values as a string or a list of strings."), "invalid"
        )
    if len(values) > MAX_VALUES:
        raise _query_error(
            param, _("At most %(limit)d values per parameter.") % {"limit": MAX_VALUES}, "too_many"
        )
    if any(len(v) > MAX_VALUE_LENGTH for v in values):
        raise _query_error(
            param,
            _("A value is at most %(limit)d characters long.") % {"limit": MAX_VALUE_LENGTH},
            "too_long",
        )
    return values


def clean_query(target: str, query: Any) -> dict[str, list[str]]:
    """``query`` as ``{parameter: [values]}``, checked by the target list's FilterSet; a bad
    parameter or value is an error under ``query.<parameter>`` with the list's message."""
    if not isinstance(query, dict):
        raise field_error(
            "query", _("Give the parameters as an object of name to values."), "invalid"
        )
    if len(query) > MAX_PARAMETERS:
        raise field_error(
            "query", _("At most %(limit)d parameters.") % {"limit": MAX_PARAMETERS}, "too_many"
        )
    accepted = accepted_parameters(target)
    cleaned: dict[str, list[str]] = {}
    for param, raw in query.items():
        if param not in accepted:
            raise _query_error(
                str(param),
                _("The %(target)s list has no parameter %(param)s; it accepts: %(accepted)s.")
                % {"target": target, "param": param, "accepted": ", ".join(accepted)},
                "unknown_parameter",
            )
        values = [v for v in _values(param, raw) if v.strip()]
        if values:
            cleaned[param] = values
    data = query_dict(cleaned)
    filterset = SAVED_SEARCH_ORDERINGS[target].filterset(
        data=data, queryset=_model(target).objects.none()
    )
    if not filterset.is_valid():
        raise ValidationError(
            {f"query.{param}": errors for param, errors in filterset.form.errors.as_data().items()}
        )
    try:
        if data.get("ordering") == "relevance" and not data.get("q"):
            raise field_error(
                "ordering", _("Ordering by relevance needs a search text (q)."), "invalid"
            )
        filterset.filter_queryset(filterset.queryset)  # method filters check their input too
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {f"query.{param}": errors for param, errors in exc.error_dict.items()}
        ) from None
    return cleaned


def _model(target: str) -> type[Patent] | type[LicensingOffer]:
    return Patent if target == SavedSearch.Target.PATENTS else LicensingOffer


def _clean(values: dict[str, Any], *, target: str) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in SAVED_SEARCH_FIELDS}
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            raise field_error("name", _("Give the search a name."), "required")
    if "query" in cleaned:
        cleaned["query"] = clean_query(target, cleaned["query"])
    return cleaned


@transaction.atomic
def saved_search_create(
    *, actor: Actor, enterprise: Enterprise, values: dict[str, Any]
) -> SavedSearch:
    """Save a search for ``actor``; the first alert holds only what is new after now."""
    target = values.get("target")
    if target not in SavedSearch.Target.values:
        raise field_error("target", _("Choose patents or offers."), "required")
    cleaned = _clean({"query": {}, **values}, target=target)
    if "name" not in cleaned:
        raise field_error("name", _("Give the search a name."), "required")
    newest_id, now = current_watermarks()
    search = SavedSearch(
        enterprise=enterprise,
        user=acting_user(actor),
        last_alerted_id=newest_id,
        last_alerted_at=now,
        **cleaned,
    )
    stamp(search, actor, created=True)
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_update(
    *,
    actor: Actor,
    saved_search: SavedSearch,
    values: dict[str, Any],
    expected_version: int | None,
) -> SavedSearch:
    """Rename it, change its parameters or turn alerts on or off (the target stays). Only its
    owner may: operators read other users' saved searches but do not change them."""
    if not may_change_saved_search(acting_user(actor), saved_search):
        raise PermissionDenied
    saved_search = locked(SavedSearch.objects.all(), saved_search.pk, expected_version)
    if "target" in values and values["target"] != saved_search.target:
        raise field_error(
            "target", _("A saved search keeps its target; save a new one instead."), "immutable"
        )
    for key, value in _clean(values, target=saved_search.target).items():
        setattr(saved_search, key, value)
    stamp(saved_search, actor)
    saved_search.full_clean()
    saved_search.save()
    return saved_search


@transaction.atomic
def saved_search_delete(
    *, actor: Actor, saved_search: SavedSearch, expected_version: int | None = None
) -> None:
    """Delete it (a user's own preference; its history keeps the record). Only its owner
    may."""
    if not may_change_saved_search(acting_user(actor), saved_search):
        raise PermissionDenied
    saved_search = locked(SavedSearch.objects.all(), saved_search.pk, expected_version)
    history_user(saved_search, actor)
    saved_search.delete()
