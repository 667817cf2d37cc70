"""The forms and answers of the ``import/`` and ``export/`` actions (``bulk_views``).

One shape for every kind: an import form (the file, its format, ``dry_run``, the holder)
and an import report (the batch and the counts); a kind's subclass only words its help
or adds what it counts. The classes carry comments, not docstrings: drf-spectacular would
publish a docstring as the schema component's description.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from conversion_db.api.fields import ChoiceField
from conversion_db.tabular.files import FileFormat
from patents.imports.patents import COLUMNS as PATENT_COLUMNS

FORMATS = [file_format.value for file_format in FileFormat]


# The multipart form of every import/ action.
class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=(
            "CSV (UTF-8 or GB18030), XLSX, XLS or JSON Lines in the columns of the README's "
            "import section (an exported file is a template). CSV、XLSX、XLS 或 JSON Lines 文件。"
        )
    )
    file_format = ChoiceField(
        choices=FORMATS,
        required=False,
        help_text="When the file name's extension does not tell. 文件格式（扩展名不明时）。",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Check and count, write nothing. 试运行：只校验和统计。"
    )
    holder = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "The holder to import for; defaults to your only holder (operators: none, each "
            "row names its holder). 导入到哪个权利人名下。"
        ),
    )


# Offers, licence records and pledges: the shared wording.
class RecordImportSerializer(ImportFileSerializer):
    pass


class PatentImportSerializer(ImportFileSerializer):
    file = serializers.FileField(
        help_text=(
            "CSV (UTF-8 or GB18030), XLSX, XLS or JSON Lines. Columns (header row; any order; "
            f"absent columns leave existing values alone): {', '.join(PATENT_COLUMNS)}, or the "
            "Chinese headers of the patent office's and the platforms' exports (申请号, 发明名称, "
            "公开（公告）号 ...; docs/importing-exports.md). Lists are separated by | ; , 、 or "
            "line breaks; dates are YYYY-MM-DD, 2019.03.21, 2019/3/21, 2019年3月21日 or 20190321. "
            "列名可用中文导出表头；列表可用 | ; , 、 或换行分隔。"
        )
    )
    holder = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "The holder to import for; defaults to your only holder (operators: none, the rows' "
            "holder names decide). 导入到哪个权利人名下。"
        ),
    )


# A header cell of the file and the column it was read into.
class ColumnReadSerializer(serializers.Serializer):
    header = serializers.CharField(
        help_text="The header as the file writes it, e.g. 申请号. 文件中的列名。"
    )
    column = serializers.CharField(
        help_text="The column (field) it was read into, e.g. application_number. 对应的字段。"
    )


# What every import/ action answers (an ImportReport of the tabular kit).
class ImportCountsSerializer(serializers.Serializer):
    batch = serializers.UUIDField(
        help_text="Import batch id, in every history row written. 批次号。"
    )
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField(help_text="Data rows read (empty rows skipped). 读取的行数。")
    created = serializers.IntegerField(help_text="Records created. 新建数。")
    updated = serializers.IntegerField(help_text="Records changed (offers only). 更新数。")
    unchanged = serializers.IntegerField(help_text="Rows equal to a record. 无变化数。")
    columns = ColumnReadSerializer(
        many=True,
        help_text=(
            "The column mapping: each header of a CSV, XLSX or XLS file that was read, in file "
            "order, and the column it became (Chinese headers of the patent office's and the "
            "platforms' exports are accepted; docs/importing-exports.md). Empty for JSON Lines. "
            "列映射：文件中的列名及其对应字段。"
        ),
    )
    ignored_columns = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Headers read past: known export columns this kind does not store (代理机构, "
            "申请人地址 ...), and weaker spellings of a column the file also gives in a stronger "
            "one (法律状态 beside 简单法律状态). 被忽略的列。"
        ),
    )


class RecordImportReportSerializer(ImportCountsSerializer):
    pass


@extend_schema_serializer(component_name="ImportReport")
class PatentImportReportSerializer(ImportCountsSerializer):
    batch = serializers.UUIDField(
        help_text="Import batch id, on every written record and history row. 批次号。"
    )
    created = serializers.IntegerField(help_text="新建的专利数。")
    updated = serializers.IntegerField(help_text="更新的专利数。")
    unchanged = serializers.IntegerField(help_text="已存在且无变化的专利数。")
    holders_created = serializers.IntegerField(
        help_text="New unverified holders. 新建的未核验权利人数。"
    )


# The query of every export/ action; the view narrows the formats to those it writes.
class ExportQuerySerializer(serializers.Serializer):
    file_format = ChoiceField(choices=FORMATS, default="csv", help_text="导出格式。")

    def __init__(self, *args: Any, formats: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file_format"].choices = formats  # type: ignore[attr-defined]
