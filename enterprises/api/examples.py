"""OpenAPI examples of the enterprises app's endpoints."""

from drf_spectacular.utils import OpenApiExample

SAVED_SEARCH = {
    "id": 7,
    "enterprise": 3,
    "name": "锂电池正极材料",
    "target": "patents",
    "query": {"q": ["锂离子电池 正极"], "ipc": ["H01M"], "legal_status": ["in_force"]},
    "alerts_enabled": True,
    "last_alerted_at": "2026-03-02T08:00:00+08:00",
    "created_at": "2026-03-01T10:15:00+08:00",
    "updated_at": "2026-03-01T10:15:00+08:00",
    "version": 1,
}

SAVED_SEARCH_CREATE = OpenApiExample(
    "Save a patent search / 保存专利检索",
    value={
        "name": "锂电池正极材料",
        "target": "patents",
        "query": {"q": "锂离子电池 正极", "ipc": ["H01M"], "legal_status": ["in_force"]},
    },
    request_only=True,
)

SAVED_SEARCH_OFFERS = OpenApiExample(
    "Save an offer search / 保存许可信息检索",
    value={
        "name": "Open licences in Shanghai",
        "target": "offers",
        "query": {"offer_type": ["open_licence"], "region": ["31"]},
        "alerts_enabled": True,
    },
    request_only=True,
)

SAVED_SEARCH_UPDATE = OpenApiExample(
    "Turn alerts off / 关闭提醒",
    value={"alerts_enabled": False, "version": 1},
    request_only=True,
)

SAVED_SEARCH_RESPONSE = OpenApiExample(
    "A saved search / 保存的检索", value=SAVED_SEARCH, response_only=True
)

SAVED_SEARCH_RESULTS = OpenApiExample(
    "Two new patents / 两件新专利",
    value={
        "saved_search": 7,
        "target": "patents",
        "since": "2026-03-02T08:00:00+08:00",
        "truncated": False,
        "results": [
            {
                "id": 120345,
                "title": "一种锂离子电池正极材料及其制备方法",
                "title_en": "Positive electrode material for lithium-ion battery",
                "numbers": ["201910209152.5"],
                "path": "/api/v1/patents/120345/",
            },
            {
                "id": 120398,
                "title": "高镍三元正极材料的包覆方法",
                "title_en": "",
                "numbers": ["202110583301.X"],
                "path": "/api/v1/patents/120398/",
            },
        ],
    },
    response_only=True,
)
