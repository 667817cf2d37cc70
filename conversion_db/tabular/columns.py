"""The column table of a kind of file: what each column holds, how its cells are read and
written, and the checking of a file's header against it.

A kind declares its columns once, in file order, as ``Column`` entries of a ``Columns``
table; imports, exports, the header check and the documentation all read that table.
``Columns.column_for`` is the one place a name in a file becomes a column: alternative
header spellings (Chinese headers such as 申请号 / 发明名称) belong there, as another name
a ``Column`` answers to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.utils.translation import gettext_lazy as _

from conversion_db.tabular import cells
from conversion_db.tabular.export import cell
from conversion_db.tabular.report import ImportFileError


class EmptyCell(Enum):
    """What a blank cell in a column means (the rule is in the package docstring)."""

    KEEPS = "keeps"  # as if the column were absent: the record keeps its value
    CLEARS = "clears"  # the column's empty value ("", [], no date, false) is written


@dataclass(frozen=True)
class Column:
    """One column of a kind of file.

    ``parse`` reads a cell (``cells``); ``export`` gives a record's value for the column
    (by default its attribute of the same name); ``imported=False`` makes a column that
    exports write and imports ignore (a status that changes by review, not by file);
    ``private`` columns are blank in exports for whoever may not see them in the API;
    ``doc`` says what the column holds, for the README and the API's help."""

    name: str
    parse: Callable[[Any], Any] = cells.text
    empty: EmptyCell = EmptyCell.KEEPS
    export: Callable[[Any], Any] | None = None
    imported: bool = True
    private: bool = False
    doc: str = ""

    def value_of(self, record: Any) -> Any:
        return self.export(record) if self.export is not None else getattr(record, self.name)


@dataclass(frozen=True)
class RequiredColumns:
    """A header must name at least one of ``names``; ``code`` and ``message`` say so otherwise."""

    names: frozenset[str]
    code: str
    message: Any


class Columns:
    """The columns of a kind of file, in file (and export) order."""

    def __init__(self, *columns: Column, required: RequiredColumns | None = None) -> None:
        self.columns = columns
        self.required = required
        self.by_name = {column.name: column for column in columns}

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __getitem__(self, name: str) -> Column:
        return self.by_name[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def private(self) -> frozenset[str]:
        return frozenset(column.name for column in self.columns if column.private)

    def column_for(self, name: str) -> str | None:
        """The column a name in a file (a header cell, a JSON key) stands for, if any."""
        return name if name in self.by_name else None

    def unknown_column(self, name: str) -> Any:
        return _("Unknown column “%(column)s”; the columns are: %(columns)s.") % {
            "column": name,
            "columns": ", ".join(self.names),
        }

    def header_names(self, header: list[str]) -> list[str]:
        """The column of each header cell ("" for a blank one); raises ImportFileError for an
        unknown or repeated column, or when a required one is missing."""
        written = [str(name or "").strip().lstrip("\ufeff").lower() for name in header]
        names = [(self.column_for(name) or "") if name else "" for name in written]
        unknown = [name for name, column in zip(written, names, strict=True) if name and not column]
        if unknown:
            raise ImportFileError(
                "unknown_column", self.unknown_column(unknown[0]), column=unknown[0]
            )
        repeated = [name for name in names if name and names.count(name) > 1]
        if repeated:
            raise ImportFileError(
                "duplicate_column",
                _("The column “%(column)s” appears twice.") % {"column": repeated[0]},
                column=repeated[0],
            )
        if self.required and not self.required.names & set(names):
            raise ImportFileError(self.required.code, self.required.message)
        return names

    def export_row(self, record: Any, *, private: bool = True) -> list[str]:
        """``record`` as cells in column order; private columns blank unless ``private``."""
        return [
            cell(None if column.private and not private else column.value_of(record))
            for column in self.columns
        ]
