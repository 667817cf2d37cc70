"""Bulk writes of the register (``seed`` and imports): many patents in a few set-based
statements, with the same rules as ``patent_create``.

Rows are cleaned by ``patents.register.services.clean_patent_values`` and get the same
computed fields (``apply_computed``); holders are found by exact name or created
unverified; patents and holdings are inserted with COPY, and their history rows carry the
batch id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from conversion_db.bulk import (
    allocate_ids,
    copy_history,
    copy_insert,
    history_from_table,
    stored_fields,
)
from conversion_db.services import Actor, acting_user, acting_user_id
from patents.models import Holder, Holding, Patent
from patents.register import coholders
from patents.register.services import (
    apply_computed,
    chinese_search_document,
    clean_patent_values,
    holder_kind_from_name,
    ipc_levels,
)


@dataclass
class BulkPatent:
    """One row of a bulk write: patent values plus holder names by role."""

    values: dict[str, Any]
    current_holders: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    # ``chinese_search_document`` of the cleaned values, when the caller built it already
    chinese_document: str | None = None


@transaction.atomic
def patents_bulk_create(
    *, actor: Actor, rows: Sequence[BulkPatent], batch: uuid.UUID | None = None, source: str = ""
) -> list[Patent]:
    """Create many patents in a few set-based statements, with the same rules as ``patent_create``.

    Every row is cleaned first; if any row is invalid nothing is written and the
    ValidationError maps ``row N`` to that row's field errors. Holders are found by exact
    name or created unverified. History rows carry the batch id.
    """
    cleaned_rows: list[dict[str, Any]] = []
    row_errors: dict[str, Any] = {}
    for number, row in enumerate(rows, start=1):
        try:
            cleaned_rows.append(clean_patent_values(row.values))
        except ValidationError as exc:
            row_errors[f"row {number}"] = exc.message_dict
    if row_errors:
        raise ValidationError(row_errors)
    return patents_bulk_insert_cleaned(
        actor=actor, rows=rows, cleaned_rows=cleaned_rows, batch=batch, source=source
    )


def holders_by_name(
    *, actor: Actor, names: Iterable[str], batch: uuid.UUID | None, owner: Holder | None = None
) -> dict[str, Holder]:
    """Holders by exact name, creating the missing ones unverified (with history and batch).

    ``owner``, when given, answers for its own name (two holders may share a name).
    """
    wanted = sorted(set(names))
    holders = {
        holder.name: holder for holder in Holder.objects.filter(name__in=wanted).order_by("-id")
    }
    if owner is not None:
        holders[owner.name] = owner
    missing = [
        Holder(name=name, kind=holder_kind_from_name(name))
        for name in wanted
        if name not in holders
    ]
    for holder in missing:
        holder.created_by = holder.updated_by = acting_user(actor)
    created_holders = bulk_create_with_history(
        missing,
        Holder,
        batch_size=1000,
        default_user=acting_user(actor),
        custom_historical_attrs={"import_batch": batch},
    )
    holders.update({holder.name: holder for holder in created_holders})
    return holders


def patents_bulk_insert_cleaned(
    *,
    actor: Actor,
    rows: Sequence[BulkPatent],
    cleaned_rows: Sequence[dict[str, Any]],
    batch: uuid.UUID | None = None,
    source: str = "",
    owner: Holder | None = None,
) -> list[Patent]:
    """The writing half of ``patents_bulk_create``, for callers that have run
    ``clean_patent_values`` on every row already (imports validate a whole file first).
    Must run inside the caller's transaction."""
    holders = holders_by_name(
        actor=actor,
        names=(name for row in rows for name in (*row.current_holders, *row.applicants)),
        batch=batch,
        owner=owner,
    )
    # Holders the writer may not name unconfirmed: shown and counted only once confirmed.
    confirmed = coholders.confirmed_by_writer(actor, {holder.pk for holder in holders.values()})
    ipc_cache = ipc_levels(row["ipc_codes"] for row in cleaned_rows if row.get("ipc_codes"))
    today = timezone.localdate()
    patents = []
    for row, values in zip(rows, cleaned_rows, strict=True):
        patent = Patent(**values)
        patent.source = values.get("source") or source
        patent.import_batch = batch
        patent.created_by = patent.updated_by = acting_user(actor)
        apply_computed(patent, on=today, ipc_levels=ipc_cache)
        current = [holders[n] for n in row.current_holders if holders[n].pk in confirmed]
        owners = current or [holders[n] for n in row.applicants if holders[n].pk in confirmed]
        patent.region_id = next((h.region_id for h in owners if h.region_id), None)
        patent.holder_kinds = sorted({h.kind for h in owners})
        patents.append(patent)
    _copy_patents(patents, rows, actor=actor, batch=batch)

    holdings = []
    for row, patent in zip(rows, patents, strict=True):
        for role, names_in_role in (
            (Holding.Role.APPLICANT, row.applicants),
            (Holding.Role.CURRENT, row.current_holders),
        ):
            for order, name in enumerate(dict.fromkeys(names_in_role), start=1):
                holdings.append(
                    Holding(patent=patent, holder=holders[name], role=role, order=order)
                )
    for holding, pk in zip(holdings, allocate_ids(Holding, len(holdings)), strict=True):
        holding.pk = pk
    pending = coholders.mark(holdings, actor, confirmed=confirmed)
    fields = stored_fields(Holding)
    copy_insert(
        Holding._meta.db_table,
        [f.column for f in fields],
        ([getattr(h, f.attname) for f in fields] for h in holdings),
    )
    copy_history(Holding, holdings, user_id=acting_user_id(actor), batch=batch, when=timezone.now())
    coholders.tell_named(pending, actor=actor)
    return patents


def _copy_patents(
    patents: list[Patent], rows: Sequence[BulkPatent], *, actor: Actor, batch: uuid.UUID | None
) -> None:
    """Insert new patents with COPY: into a staging table with the Chinese search document
    built here, then one INSERT ... SELECT that adds the English part (PostgreSQL's
    stemmer), so that every index is written once. The history rows are copied from the
    staging table too."""
    now = timezone.now()
    for patent, pk in zip(patents, allocate_ids(Patent, len(patents)), strict=True):
        patent.pk = pk
        patent.created_at = patent.updated_at = now
    fields = stored_fields(Patent, exclude=["search_document"])
    columns = [f.column for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS patent_stage "
            "(LIKE patents_patent INCLUDING DEFAULTS, chinese_document text) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE patent_stage")

    def staged() -> Iterable[list[Any]]:
        for patent, row in zip(patents, rows, strict=True):
            document = row.chinese_document
            if document is None:
                document = chinese_search_document(
                    title=patent.title,
                    keywords=patent.keywords,
                    abstract=patent.abstract,
                    holder_names=[*row.current_holders, *row.applicants],
                )
            yield [*(getattr(patent, f.attname) for f in fields), document]

    copy_insert("patent_stage", [*columns, "chinese_document"], staged())
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO patents_patent ({column_list}, search_document) "  # noqa: S608 - our columns
            f"SELECT {column_list}, chinese_document::tsvector"
            " || setweight(to_tsvector('english', title_en), 'A')"
            " || setweight(to_tsvector('english', abstract_en), 'C')"
            " FROM patent_stage"
        )
    history_from_table(Patent, "patent_stage", user_id=acting_user_id(actor), batch=batch, when=now)
