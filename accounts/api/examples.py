"""OpenAPI examples of the accounts endpoints."""

from drf_spectacular.utils import OpenApiExample

SIGNUP = OpenApiExample(
    "Sign up",
    value={"email": "li.ming@example.edu.cn", "password": "Patent-transfer-2026"},
    request_only=True,
)
SIGNUP_ANSWER = OpenApiExample(
    "Verification mail sent",
    value={
        "email": "li.ming@example.edu.cn",
        "detail": "We sent a verification link to li.ming@example.edu.cn. Follow it, then sign in.",
    },
    response_only=True,
    status_codes=["201"],
)
VERIFIED = OpenApiExample(
    "Verified",
    value={
        "email": "li.ming@example.edu.cn",
        "verified": True,
        "detail": "Your e-mail address li.ming@example.edu.cn is verified; you may sign in.",
    },
    response_only=True,
)
SIGN_IN = OpenApiExample(
    "Sign in with the e-mail",
    value={"username": "li.ming@example.edu.cn", "password": "Patent-transfer-2026"},
    request_only=True,
)
ME = OpenApiExample(
    "A holder's administrator",
    value={
        "id": 41,
        "username": "li.ming",
        "email": "li.ming@example.edu.cn",
        "email_verified": True,
        "is_operator": False,
        "date_joined": "2026-12-07T10:02:11+08:00",
        "holders": [{"holder": 12, "name": "示例大学", "verified": False, "role": "admin"}],
        "enterprises": [],
        "requests": [
            {
                "id": 3,
                "kind": "registration",
                "holder": 12,
                "holder_name": "示例大学",
                "status": "pending",
                "created_at": "2026-12-07T10:05:40+08:00",
            }
        ],
        "invitations": [],
        "requests_to_decide": 1,
    },
    response_only=True,
)
PASSWORD_RESET_CONFIRM = OpenApiExample(
    "New password",
    value={
        "uid": "2f",
        "token": "cq5xk3-6a1e1b8f0c9d2e7a4b3c",
        "new_password1": "Another-long-passphrase-7",
        "new_password2": "Another-long-passphrase-7",
    },
    request_only=True,
)
TOKEN_REQUEST = OpenApiExample(
    "A token for a script",
    value={
        "username": "li.ming@example.edu.cn",
        "password": "Patent-transfer-2026",
        "name": "nightly import",
        "expires_in_days": 30,
    },
    request_only=True,
)
TOKEN_CREATE = OpenApiExample(
    "A named token", value={"name": "nightly import", "expires_in_days": 30}, request_only=True
)
NEW_TOKEN = OpenApiExample(
    "The key, shown once",
    value={
        "token": "9f2c51d07ab34e8f61c0b9a7d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6",
        "prefix": "9f2c51d07ab34e8",
        "name": "nightly import",
        "created": "2026-12-07T10:12:00+08:00",
        "expiry": "2027-01-06T10:12:00+08:00",
        "last_used_at": None,
    },
    response_only=True,
)
TOKEN_LIST = OpenApiExample(
    "Tokens, never their keys",
    value={
        "next": None,
        "previous": None,
        "results": [
            {
                "prefix": "9f2c51d07ab34e8",
                "name": "nightly import",
                "created": "2026-12-07T10:12:00+08:00",
                "expiry": "2027-01-06T10:12:00+08:00",
                "last_used_at": "2026-12-08T02:00:04+08:00",
            }
        ],
    },
    response_only=True,
)
HOLDER_REGISTER = OpenApiExample(
    "A university's tech-transfer office",
    value={
        "name": "示例大学",
        "name_en": "Example University",
        "kind": "university",
        "uscc": "91310115MA1K3BTP2B",
        "region": "310110",
        "contact_name": "李明",
        "contact_email": "tto@example.edu.cn",
    },
    request_only=True,
)
HOLDER = OpenApiExample(
    "Registered, not yet verified",
    value={
        "id": 12,
        "name": "示例大学",
        "name_en": "Example University",
        "kind": "university",
        "region": "310110",
        "verified": False,
        "version": 1,
        "uscc": "91310115MA1K3BTP2B",
        "created_at": "2026-12-07T10:05:40+08:00",
    },
    response_only=True,
)
MEMBERSHIP_REQUEST = OpenApiExample(
    "Who you are",
    value={"message": "技术转移中心专利主管，负责本校专利许可。"},
    request_only=True,
)
HOLDER_REQUEST = OpenApiExample(
    "A request to join",
    value={
        "id": 7,
        "kind": "membership",
        "holder": 12,
        "holder_name": "示例大学",
        "requested_by": "wang.fang",
        "requested_by_email": "wang.fang@example.edu.cn",
        "message": "技术转移中心专利主管，负责本校专利许可。",
        "status": "pending",
        "reason": "",
        "decided_at": None,
        "created_at": "2026-12-07T11:00:00+08:00",
        "version": 1,
    },
    response_only=True,
)
REFUSE = OpenApiExample(
    "With a reason",
    value={"reason": "未能核实申请人身份，请通过单位邮箱重新申请。", "version": 1},
    request_only=True,
)
INVITE = OpenApiExample(
    "Invite a colleague",
    value={"email": "zhao.lei@example.com", "role": "member"},
    request_only=True,
)
INVITATION = OpenApiExample(
    "A pending invitation",
    value={
        "id": 5,
        "enterprise": 12,
        "enterprise_name": "上海示例新材料科技有限公司",
        "email": "zhao.lei@example.com",
        "role": "member",
        "status": "pending",
        "expires_at": "2026-12-21T10:00:00+08:00",
        "accepted_at": None,
        "created_at": "2026-12-07T10:00:00+08:00",
        "version": 1,
    },
    response_only=True,
)
