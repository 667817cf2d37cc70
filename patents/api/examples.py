"""OpenAPI examples of the patents app's endpoints."""

from drf_spectacular.utils import OpenApiExample

IPC_DETAIL = OpenApiExample(
    "H01M 10/0525 (lithium-ion batteries)",
    value={
        "symbol": "H01M 10/0525",
        "key": "H01M0010052500",
        "level": "subgroup",
        "parent": "H01M 10/052",
        "indent": 3,
        "title_zh": "摇椅式电池，即其两个电极均插入或嵌入有锂的电池；锂离子电池",
        "title_en": (
            "Rocking-chair batteries, i.e. batteries with lithium insertion or intercalation "
            "in both electrodes; Lithium-ion batteries"
        ),
        "tech_field": 1,
        "tech_field_detail": {
            "number": 1,
            "sector_en": "Electrical engineering",
            "sector_zh": "电气工程",
            "name_en": "Electrical machinery, apparatus, energy",
            "name_zh": "电气机械、设备、能源",
        },
        "has_children": False,
        "ancestors": [
            {"symbol": "H", "level": "section", "title_zh": "电学", "title_en": "ELECTRICITY"},
            {
                "symbol": "H01",
                "level": "class",
                "title_zh": "基本电气元件",
                "title_en": "ELECTRIC ELEMENTS",
            },
        ],
    },
    response_only=True,
)

IPC_SYMBOL_SPELLINGS = [
    OpenApiExample("canonical", value="H01M 10/0525"),
    OpenApiExample("compact, lower case", value="h01m10/0525"),
    OpenApiExample("with version and level", value="H01M 10/0525 (2006.01)"),
    OpenApiExample("subclass", value="H01M"),
]

REGION_DETAIL = OpenApiExample(
    "310115 浦东新区",
    value={
        "code": "310115",
        "name": "浦东新区",
        "name_en": "Pudong New Area",
        "level": "district",
        "parent": "310100",
        "is_current": True,
        "longitude": "121.544346",
        "latitude": "31.221461",
        "ancestors": [
            {
                "code": "310000",
                "name": "上海市",
                "name_en": "Shanghai",
                "level": "province",
                "is_current": True,
            },
            {
                "code": "310100",
                "name": "市辖区",
                "name_en": "Municipal Districts",
                "level": "city",
                "is_current": True,
            },
        ],
        "children": [],
    },
    response_only=True,
)

REGION_CODE_SPELLINGS = [
    OpenApiExample("district", value="310115"),
    OpenApiExample("province prefix", value="31"),
    OpenApiExample("12-digit statistical code", value="310115000000"),
]


IMPORT_REPORT = OpenApiExample(
    "Imported",
    value={
        "batch": "5b0c3f5e-2f53-4a5e-9d7e-0c6f1f1a9e21",
        "dry_run": False,
        "rows": 120,
        "created": 100,
        "updated": 15,
        "unchanged": 5,
        "holders_created": 2,
        "columns": [
            {"header": "申请号", "column": "application_number"},
            {"header": "发明名称", "column": "title"},
            {"header": "IPC分类号", "column": "ipc_codes"},
            {"header": "申请（专利权）人", "column": "applicants"},
            {"header": "简单法律状态", "column": "legal_status"},
        ],
        "ignored_columns": ["代理机构", "法律状态"],
    },
    response_only=True,
    status_codes=["201"],
)

IMPORT_ROW_ERRORS = OpenApiExample(
    "Rows with errors (nothing written)",
    value={
        "status": 400,
        "code": "invalid_rows",
        "message": "2 errors in the file; nothing was written.",
        "errors": [
            {
                "field": "application_number",
                "row": 3,
                "column": "application_number",
                "code": "invalid",
                "message": "The check character is 5, not 7.",
            },
            {
                "field": "filing_date",
                "row": 9,
                "column": "filing_date",
                "code": "invalid",
                "message": "Write dates as YYYY-MM-DD, e.g. 2019-03-15.",
            },
        ],
        "report": {
            "batch": "5b0c3f5e-2f53-4a5e-9d7e-0c6f1f1a9e21",
            "dry_run": False,
            "rows": 120,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "holders_created": 0,
        },
    },
    response_only=True,
    status_codes=["400"],
)


RECORD_IMPORT_REPORT = OpenApiExample(
    "Imported",
    value={
        "batch": "0f6c1d2e-8a4b-4c3d-9e5f-6a7b8c9d0e1f",
        "dry_run": False,
        "rows": 12,
        "created": 10,
        "updated": 1,
        "unchanged": 1,
        "columns": [
            {"header": "holder", "column": "holder"},
            {"header": "offer_type", "column": "offer_type"},
        ],
        "ignored_columns": [],
    },
    response_only=True,
    status_codes=["201"],
)

RECORD_IMPORT_ROW_ERRORS = OpenApiExample(
    "A rule refuses a row (nothing written)",
    value={
        "status": 400,
        "code": "invalid_rows",
        "message": "2 errors in the file; nothing was written.",
        "errors": [
            {
                "field": "patents",
                "row": 3,
                "column": "patents",
                "code": "invalid",
                "message": "201910209152.5: It overlaps an existing exclusive licence from "
                "2025-01-10.",
            },
            {
                "field": "term_end",
                "row": 5,
                "column": "term_end",
                "code": "invalid",
                "message": "Write dates as YYYY-MM-DD, e.g. 2019-03-15.",
            },
        ],
        "report": {
            "batch": "0f6c1d2e-8a4b-4c3d-9e5f-6a7b8c9d0e1f",
            "dry_run": False,
            "rows": 12,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
        },
    },
    response_only=True,
    status_codes=["400"],
)

OFFER_EVENT = OpenApiExample(
    "An offer withdrawn / 许可撤回",
    value={
        "id": 42,
        "type": "withdrawn",
        "time": "2026-03-05T09:30:00+08:00",
        "offer": 17,
        "title": "锂电池正极材料开放许可",
        "title_en": "Open licence: lithium-ion cathode material",
        "offer_type": "open_licence",
        "holder_name": "甲大学",
        "patent_numbers": ["201910209152.5"],
        "path": "/api/v1/offers/17/",
    },
    response_only=True,
)


# --- Background file jobs (/api/v1/jobs/, and the 202 of export/ and import/) ----------------
EXPORT_JOB_QUEUED = OpenApiExample(
    "An export too large for one request, now a job",
    value={
        "id": 41,
        "kind": "export",
        "target": "patents",
        "status": "queued",
        "file_format": "xlsx",
        "query": {"q": ["锂电池"], "legal_status": ["in_force"], "file_format": ["xlsx"]},
        "file_name": "",
        "dry_run": None,
        "rows_total": None,
        "rows_done": 0,
        "report": None,
        "error": "",
        "created_at": "2026-12-07T10:15:00+08:00",
        "started_at": None,
        "finished_at": None,
        "expires_at": None,
        "url": "https://example.org/api/v1/jobs/41/",
        "download": None,
    },
    response_only=True,
    status_codes=["202"],
)

EXPORT_JOB_DONE = OpenApiExample(
    "An export written, ready to download",
    value={
        **EXPORT_JOB_QUEUED.value,
        "status": "succeeded",
        "file_name": "patents-20261207-101512.xlsx",
        "rows_total": 78912,
        "rows_done": 78912,
        "started_at": "2026-12-07T10:15:01+08:00",
        "finished_at": "2026-12-07T10:15:40+08:00",
        "expires_at": "2026-12-10T10:15:40+08:00",
        "download": "https://example.org/api/v1/jobs/41/download/",
    },
    response_only=True,
    status_codes=["200"],
)

IMPORT_JOB_DONE = OpenApiExample(
    "An import run in the background",
    value={
        "id": 42,
        "kind": "import",
        "target": "patents",
        "status": "succeeded",
        "file_format": "csv",
        "query": None,
        "file_name": "patents-2026.csv",
        "dry_run": False,
        "rows_total": None,
        "rows_done": 50000,
        "report": {
            "batch": "5b0c3f5e-2f53-4a5e-9d7e-0c6f1f1a9e21",
            "dry_run": False,
            "rows": 50000,
            "created": 49000,
            "updated": 900,
            "unchanged": 100,
            "holders_created": 3,
            "error_count": 0,
            "errors": [],
            "columns": [{"header": "申请号", "column": "application_number"}],
            "ignored_columns": [],
        },
        "error": "",
        "created_at": "2026-12-07T11:00:00+08:00",
        "started_at": "2026-12-07T11:00:01+08:00",
        "finished_at": "2026-12-07T11:00:29+08:00",
        "expires_at": None,
        "url": "https://example.org/api/v1/jobs/42/",
        "download": None,
    },
    response_only=True,
    status_codes=["200"],
)

IMPORT_JOB_QUEUED = OpenApiExample(
    "A large file, imported in the background",
    value={
        **IMPORT_JOB_DONE.value,
        "status": "queued",
        "rows_done": 0,
        "report": None,
        "started_at": None,
        "finished_at": None,
    },
    response_only=True,
    status_codes=["202"],
)

IMPORT_JOB_FAILED = OpenApiExample(
    "An import refused for its rows (nothing written)",
    value={
        **IMPORT_JOB_DONE.value,
        "status": "failed",
        "rows_done": 50000,
        "error": "2 errors in the file; nothing was written.",
        "report": {
            **IMPORT_JOB_DONE.value["report"],
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "holders_created": 0,
            "error_count": 2,
            "errors": [
                {
                    "row": 7,
                    "column": "application_number",
                    "code": "invalid",
                    "message": "Not a valid application number.",
                },
                {"row": 9, "column": "title", "code": "invalid", "message": "Required."},
            ],
        },
    },
    response_only=True,
    status_codes=["200"],
)


LEGAL_EVENT = OpenApiExample(
    "A transfer of the right (专利权的转移)",
    value={
        "id": 41,
        "patent": 7,
        "event_date": "2022-01-03",
        "event_type": "transfer",
        "source_words": "专利权的转移",
        "number": "",
        "details_text": "变更事项：专利权人 变更前权利人：甲大学 变更后权利人：上海某科技有限公司",
        "details": {"new_holders": ["上海某科技有限公司"], "previous_holders": ["甲大学"]},
        "legal_status": "",
        "effect": "holders_changed",
        "licence_record": 12,
        "pledge": None,
        "import_batch": "3f0c6a58-8d0e-4a4c-9f55-2f1a9f3f2d11",
    },
    response_only=True,
)
LEGAL_EVENT_IMPORT_REPORT = OpenApiExample(
    "Dry run of an event file",
    value={
        "batch": "3f0c6a58-8d0e-4a4c-9f55-2f1a9f3f2d11",
        "dry_run": True,
        "rows": 4,
        "created": 3,
        "updated": 0,
        "unchanged": 1,
        "event_types": {"lapse": 1, "licence_recorded": 1, "pledge_registered": 1, "transfer": 1},
        "columns": [
            {"header": "申请号", "column": "patent_number"},
            {"header": "法律状态公告日", "column": "event_date"},
            {"header": "法律状态", "column": "event"},
            {"header": "法律状态信息", "column": "details"},
        ],
        "ignored_columns": [],
    },
    response_only=True,
)
LEGAL_EVENT_IMPORT_ROW_ERRORS = OpenApiExample(
    "Rows refused (nothing written)",
    value={
        "status": 400,
        "code": "invalid_rows",
        "message": "2 errors in the file; nothing was written.",
        "errors": [
            {
                "field": "event",
                "row": 2,
                "column": "event",
                "code": "invalid",
                "message": "Unknown event “专利权的出售”; the accepted words are listed in "
                "docs/importing-exports.md (e.g. 授权, 专利权的终止, 权利转移).",
            },
            {
                "field": "event_date",
                "row": 3,
                "column": "event_date",
                "code": "invalid",
                "message": "The event date is before the filing date (2019-03-21).",
            },
        ],
    },
    response_only=True,
    status_codes=["400"],
)
