"""The legal-status events' shapes: one event (lists, a patent's events, the detail's
recent ones) and the event import's report. Comments, not docstrings (drf-spectacular
would publish a docstring as the component's description)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from conversion_db.api.fields import ChoiceField
from patents.api.bulk_serializers import ImportCountsSerializer, ImportFileSerializer
from patents.imports.events import COLUMNS as EVENT_COLUMNS
from patents.models import EventEffect, EventType, LegalStatusEvent

# Read from a pledge file, not published by the register: only operators see them.
PRIVATE_DETAILS = frozenset({"amount_cny", "debt_start", "debt_end"})


# One register entry of a patent, as imported.
class LegalEventSerializer(serializers.ModelSerializer):
    event_type = ChoiceField(
        choices=EventType.choices, help_text="The event as a code of ours. 事件类型。"
    )
    effect = ChoiceField(
        choices=EventEffect.choices, help_text="What it did here. 导入时的处理结果。"
    )
    details = serializers.DictField(
        help_text=(
            "What was read from the row: new_holders, previous_holders, licensor, licensee, "
            "licence_kind, pledgor, pledgee (amounts and debt periods: operators only). "
            "读取的详情。"
        )
    )

    class Meta:
        model = LegalStatusEvent
        fields = [
            "id", "patent", "event_date", "event_type", "source_words", "number", "details_text",
            "details", "legal_status", "effect", "licence_record", "pledge", "import_batch",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: LegalStatusEvent) -> Any:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("operator"):
            data["details"] = {
                k: v for k, v in instance.details.items() if k not in PRIVATE_DETAILS
            }
        return data


class LegalEventImportSerializer(ImportFileSerializer):
    file = serializers.FileField(
        help_text=(
            "CSV (UTF-8 or GB18030), XLSX, XLS or JSON Lines, one event per row. Columns: "
            f"{', '.join(EVENT_COLUMNS)}, or the headers of the register's and the platforms' "
            "exports (申请号, 法律状态公告日, 法律状态, 法律状态信息 ...; docs/importing-exports.md). "
            "每行一条法律状态事件；列名可用中文导出表头。"
        )
    )


class LegalEventImportReportSerializer(ImportCountsSerializer):
    created = serializers.IntegerField(help_text="Events stored and applied. 新记录的事件数。")
    updated = serializers.IntegerField(
        help_text="Always 0: a stored event is not changed. 恒为 0。"
    )
    unchanged = serializers.IntegerField(
        help_text="Events stored already (same patent, date, type, number). 已存在的事件数。"
    )
    event_types = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Valid rows by event type (a dry run's preview). 按事件类型统计的行数。",
    )
