"""OpenAPI examples of the inbox."""

from drf_spectacular.utils import OpenApiExample

NOTIFICATION = OpenApiExample(
    "An inquiry received",
    value={
        "id": 318,
        "kind": "inquiry_received",
        "title": "关于“一种锂离子电池正极材料”的新咨询",
        "body": "上海示例新材料科技有限公司 咨询：\n\n请问许可条件？",
        "link": "/api/v1/inquiries/52/",
        "about": {"type": "enterprises.inquiry", "id": 52},
        "created_at": "2026-12-07T10:15:00+08:00",
        "read_at": None,
        "unread": True,
    },
    response_only=True,
)

READ_ALL = OpenApiExample(
    "Everything up to what you have seen",
    value={"up_to": 318},
    request_only=True,
)

MARKED = OpenApiExample("Three marked read", value={"marked": 3}, response_only=True)

UNREAD_COUNT = OpenApiExample(
    "Five unread", value={"unread": 5, "capped": False}, response_only=True
)
