"""What the imports of offers, licence records and pledges share: a holder's record that
lists patents (``RecordImport``), and the columns they have in common.

Every row is written through the services, so every rule of docs/domain/ (licensing) applies to it
exactly as to the API; each row runs in its own savepoint inside the file's transaction
(the kit's row-by-row ``run_chunk``), so a later row sees the earlier ones (two exclusive
licences of one patent in one file conflict) and a refused row is undone alone. A rule
about one patent of the row is reported on ``patents``, prefixed with that patent's number.

Cells:

- ``patents``: numbers of patents in any accepted spelling (application, publication,
  grant, PCT or WO number, as the ``number`` filter takes them), separated by ``|`` or
  ``;``. Exports write application numbers (a publication number when there is none).
- ``holder`` / ``licensor`` / ``pledgor``: a holder's id or exact name. A holder's member
  (or ``--holder``) imports for that holder: a blank cell means it, another holder is
  refused. An operator without ``--holder`` names the holder on each row.
- A blank cell keeps (the kit's empty-cell rule): for an existing record it is not
  compared, and keeps the value, so a file exported without the private columns imports
  again unchanged; a field cannot be cleared by import. For a new record it is the
  field's default.

Exports write the same columns, for the rows the list endpoint shows with its filters.
The columns only a record's parties (and operators) see in the API are ``private``:
blank for everyone else, so exports leak nothing the API does not show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from conversion_db.tabular import cells
from conversion_db.tabular.columns import Column
from conversion_db.tabular.kinds import ImportKind, Row
from patents.models import Holder, Patent
from patents.register import numbers
from patents.register.selectors import with_number


def number_of(patent: Patent) -> str:
    """The number exports write for a patent."""
    return patent.application_number or patent.publication_number


def identifier_column(name: str, doc: str) -> Column:
    return Column(name, cells.identifier, export=lambda record: record.pk, doc=doc)


def holder_column(name: str) -> Column:
    return Column(
        name,
        export=lambda record: getattr(record, name).name,
        doc="a holder's id or exact name (blank: the holder you import for)",
    )


def patents_column(export: Callable[[Any], list[Patent]]) -> Column:
    return Column(
        "patents",
        cells.split,
        export=lambda record: [number_of(patent) for patent in export(record)],
        doc="numbers of patents in any spelling, separated by | or ;",
    )


def date_column(name: str, *, private: bool = False) -> Column:
    return Column(name, cells.date, private=private, doc="YYYY-MM-DD")


STATUS_COLUMN = Column(
    "status", imported=False, doc="written by exports, ignored by imports (review changes it)"
)


class RecordImport(ImportKind[Row]):
    """A holder's record that lists patents, written row by row through its services."""

    model: ClassVar[type[models.Model]]
    party: ClassVar[str]  # the holder column, and the model's field
    owner: Holder | None

    def __init__(self, **arguments: Any) -> None:
        super().__init__(**arguments)
        self.seen: dict[int, int] = {}
        self.numbers_by_id: dict[int, str] = {}

    def new_row(self, line: int) -> Row:
        return Row(line)

    def patent_ids(self, row: Row) -> list[int] | None:
        """The ids of the row's patents (None when the column is blank or absent)."""
        if "patents" not in row.values:
            return None
        ids = []
        for text in row.values["patents"]:
            try:
                patent = with_number(Patent.objects.all(), text).order_by("id").first()
            except numbers.PatentNumberError as exc:
                row.error("patents", f"{text}: {exc.message}")
                continue
            if patent is None:
                row.error("patents", _("No patent has the number “%(number)s”.") % {"number": text})
                continue
            self.numbers_by_id[patent.pk] = number_of(patent)
            ids.append(patent.pk)
        return list(dict.fromkeys(ids))

    def holder_for(self, row: Row) -> Holder | None:
        """The holder a new record is for: the row's, or the importer's own."""
        column = self.party
        text = row.values.get(column)
        if text is None:
            if self.owner is None:
                row.error(column, _("Name the holder (its id or exact name)."))
            return self.owner
        pk = cells.whole_number(text)
        found = list((Holder.objects.filter(pk=pk) if pk else Holder.objects.filter(name=text))[:2])
        if not found:
            row.error(column, _("No holder has the id or name “%(value)s”.") % {"value": text})
            return None
        if len(found) > 1:
            row.error(
                column, _("Several holders are called “%(value)s”; give its id.") % {"value": text}
            )
            return None
        if self.owner is not None and found[0].pk != self.owner.pk:
            row.error(
                column,
                _("You import for “%(name)s”; this row names another holder.")
                % {"name": self.owner.name},
            )
            return None
        return found[0]

    def same_party(self, row: Row, holder: Holder) -> bool:
        text = row.values.get(self.party)
        return text is None or text in (str(holder.pk), holder.name)

    def first_time(self, row: Row, pk: int) -> bool:
        first = self.seen.setdefault(pk, row.line)
        if first != row.line:
            row.error(None, _("The same record as row %(row)d.") % {"row": first})
            return False
        return True

    def visible(self, holder_id: int) -> bool:
        return self.owner is None or holder_id == self.owner.pk

    def error_column(self, key: str, message: str) -> tuple[str | None, str]:
        if key.startswith("patents[") and key.endswith("]"):  # a rule about one patent
            pk = key[8:-1]
            number = self.numbers_by_id.get(int(pk)) if pk.isdigit() else None
            return "patents", f"{number or key}: {message}"
        return super().error_column(key, message)

    # --- Exporting ------------------------------------------------------------------------
    @classmethod
    def owner_id(cls, record: Any) -> int | None:
        return getattr(record, f"{cls.party}_id")

    @classmethod
    def export_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The records with their holder and patents (a fixed number of queries per chunk)."""
        patents = Patent.objects.only("id", "application_number", "publication_number").order_by(
            "id"
        )
        return (
            queryset.select_related(cls.party)
            .prefetch_related(None)
            .prefetch_related(Prefetch("patents", queryset=patents, to_attr="listed_patents"))
        )
