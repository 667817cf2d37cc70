"""The admin's history pages (django-simple-history), made legible for operators.

``HistoryAdmin`` is the base of every admin with history: its list shows, for each change,
the import batch that wrote it (``HistoryBase.import_batch``), the change reason ("—" when
there is none), and the changed fields with choice labels instead of codes, times in the
site's time zone (Asia/Shanghai) and an empty relation as "—" (simple-history shows an
empty foreign key as a deleted object with ``pk=None``). An admin adds lines of its own to
a change with ``extra_history_changes`` (the offers: which patents were added or removed).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def shown(field: Any, value: Any) -> Any:
    """A field's value as an operator reads it."""
    if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
        return EMPTY
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


class ContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        prepared = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(prepared, list):
            return [shown(None, item) for item in prepared] or EMPTY
        return shown(field, prepared)


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = "admin/history/object_history_list.html"

    def get_historical_record_context_helper(self, request: Any, historical_record: Any) -> Any:
        return ContextHelper(self.model, historical_record)

    def set_history_delta_changes(
        self, request: Any, historical_records: Sequence[Any], foreign_keys_are_objs: bool = True
    ) -> None:
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for record in records:
            record.extra_changes = []
        self.extra_history_changes(request, records)

    def extra_history_changes(self, request: Any, records: list[Any]) -> None:
        """Set ``record.extra_changes`` (lines of text) on the page's records, newest first."""
