"""The column table of a kind of file: what each column holds, how its cells are read and
written, and the checking of a file's header against it.

A kind declares its columns once, in file order, as ``Column`` entries of a ``Columns``
table; imports, exports, the header check and the documentation all read that table.
``Columns.read_header`` is the one place a name in a file becomes a column. Besides its
own name, a column answers to the other spellings its kind lists (``Column.aliases``: the
Chinese headers of the patent office's and the platforms' exports, 申请号 / 发明名称 ...), and
to ``Column.fallbacks``, spellings used only when no other header of the file gives the
column (incoPat exports both 简单法律状态 and 法律状态; the simple one wins). ``Columns.ignored``
lists headers that exports carry and the kind stores nowhere (代理机构, 被引用次数 ...): they
are read past and reported as ignored. Headers are compared by ``header_key``: Unicode NFKC
(full-width brackets and letters become half-width), without spaces, in lower case.
Any other header is an error naming it and the accepted names closest to it.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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
    ``doc`` says what the column holds, for the README and the API's help; ``aliases`` and
    ``fallbacks`` are other header spellings (the module docstring)."""

    name: str
    parse: Callable[[Any], Any] = cells.text
    empty: EmptyCell = EmptyCell.KEEPS
    export: Callable[[Any], Any] | None = None
    imported: bool = True
    private: bool = False
    doc: str = ""
    aliases: tuple[str, ...] = ()
    fallbacks: tuple[str, ...] = ()

    def value_of(self, record: Any) -> Any:
        return self.export(record) if self.export is not None else getattr(record, self.name)


@dataclass(frozen=True)
class RequiredColumns:
    """A header must name at least one of ``names``; ``code`` and ``message`` say so otherwise."""

    names: frozenset[str]
    code: str
    message: Any


def header_key(name: Any) -> str:
    """A header as it is compared: NFKC (（） → (), full-width letters), no white space or
    BOM, lower case. 公开（公告）号, 公开(公告)号 and 公开 (公告) 号 are one header."""
    written = unicodedata.normalize("NFKC", str(name or "")).replace("\ufeff", "")
    return "".join(written.split()).lower()


# How strongly a spelling names its column: when a file has several headers for one
# column, the strongest is read and the others are ignored; two equally strong ones are an
# error (the column appears twice).
OWN_NAME, ALIAS, FALLBACK = 0, 1, 2


@dataclass(frozen=True)
class HeaderCell:
    """One header cell of a file: as written, and the column it became ("" when ignored)."""

    header: str
    column: str


@dataclass
class HeaderMapping:
    """What a file's header became: each cell's column in file order ("" for a blank or
    ignored one), the cells read, and the headers ignored."""

    names: list[str] = field(default_factory=list)
    mapped: list[HeaderCell] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


class Columns:
    """The columns of a kind of file, in file (and export) order; ``ignored``: headers of
    other systems' exports that this kind reads past (see the module docstring)."""

    def __init__(
        self,
        *columns: Column,
        required: RequiredColumns | None = None,
        ignored: Iterable[str] = (),
    ) -> None:
        self.columns = columns
        self.required = required
        self.by_name = {column.name: column for column in columns}
        self.spellings: dict[str, tuple[str, int]] = {}
        for column in columns:
            for rank, names in (
                (OWN_NAME, (column.name,)),
                (ALIAS, column.aliases),
                (FALLBACK, column.fallbacks),
            ):
                for name in names:
                    key = header_key(name)
                    if key in self.spellings:
                        raise ValueError(f"The header {name!r} names two columns.")
                    self.spellings[key] = (column.name, rank)
        self.ignored = {header_key(name) for name in ignored}
        if self.ignored & set(self.spellings):
            raise ValueError("An ignored header is also a column's spelling.")
        self.accepted = {header_key(name): name for name in self.accepted_names}

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

    @property
    def accepted_names(self) -> list[str]:
        """Every header this kind reads, as documented: names, then aliases and fallbacks."""
        names = [column.name for column in self.columns]
        for column in self.columns:
            names.extend((*column.aliases, *column.fallbacks))
        return names

    def column_for(self, name: str) -> str | None:
        """The column a name in a file (a header cell, a JSON key) stands for, if any."""
        found = self.spellings.get(header_key(name))
        return found[0] if found else None

    def is_ignored(self, name: str) -> bool:
        """Whether ``name`` is a header of another system's export that this kind skips."""
        return header_key(name) in self.ignored

    def closest(self, name: str, count: int = 3) -> list[str]:
        """The accepted header spellings closest to ``name`` (difflib), best first."""
        keys = difflib.get_close_matches(header_key(name), self.accepted, n=count, cutoff=0.5)
        return [self.accepted[key] for key in keys]

    def unknown_column(self, name: str) -> Any:
        closest = self.closest(name)
        if closest:
            return _(
                "Unknown column “%(column)s”; did you mean %(closest)s? The columns are: "
                "%(columns)s (other accepted headers: docs/importing-exports.md)."
            ) % {
                "column": name,
                "closest": " / ".join(f"“{spelling}”" for spelling in closest),
                "columns": ", ".join(self.names),
            }
        return _("Unknown column “%(column)s”; the columns are: %(columns)s.") % {
            "column": name,
            "columns": ", ".join(self.names),
        }

    def read_header(self, header: list[Any]) -> HeaderMapping:
        """What each header cell stands for (``HeaderMapping``); raises ImportFileError for
        an unknown or repeated column, or when a required one is missing."""
        written = [str(name or "").replace("\ufeff", "").strip() for name in header]
        found: list[tuple[str, int] | None] = []
        for name in written:
            if not name or self.is_ignored(name):
                found.append(None)
                continue
            spelling = self.spellings.get(header_key(name))
            if spelling is None:
                raise ImportFileError("unknown_column", self.unknown_column(name), column=name)
            found.append(spelling)
        strongest: dict[str, int] = {}
        for spelling in found:
            if spelling is not None:
                column, rank = spelling
                strongest[column] = min(rank, strongest.get(column, rank))
        mapping = HeaderMapping()
        for name, spelling in zip(written, found, strict=True):
            if spelling is None or spelling[1] > strongest[spelling[0]]:
                mapping.names.append("")
                if name:
                    mapping.ignored.append(name)
                continue
            column = spelling[0]
            if column in mapping.names:
                raise ImportFileError(
                    "duplicate_column",
                    _("The column “%(column)s” appears twice.") % {"column": column},
                    column=column,
                )
            mapping.names.append(column)
            mapping.mapped.append(HeaderCell(name, column))
        if self.required and not self.required.names & set(mapping.names):
            raise ImportFileError(self.required.code, self.required.message)
        return mapping

    def header_names(self, header: list[Any]) -> list[str]:
        """The column of each header cell ("" for a blank or ignored one)."""
        return self.read_header(header).names

    def export_row(self, record: Any, *, private: bool = True) -> list[str]:
        """``record`` as cells in column order; private columns blank unless ``private``."""
        return [
            cell(None if column.private and not private else column.value_of(record))
            for column in self.columns
        ]
