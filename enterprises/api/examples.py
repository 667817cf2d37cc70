"""OpenAPI examples of the demand side's endpoints."""

from drf_spectacular.utils import OpenApiExample

ENTERPRISE_WRITE = OpenApiExample(
    "A battery-materials SME in Pudong",
    value={
        "name": "上海示例新材料科技有限公司",
        "name_en": "Shanghai Example New Materials Technology Co., Ltd.",
        "uscc": "91310115MA1K3BTP2B",
        "region": "310115",
        "industry_code": "C3985",
        "employees": 120,
        "revenue_cny": "38000000.00",
        "assets_cny": "52000000.00",
        "contact_email": "bd@example.com",
    },
    request_only=True,
)

ENTERPRISE = OpenApiExample(
    "Size class with its reason",
    value={
        "id": 12,
        "name": "上海示例新材料科技有限公司",
        "name_en": "Shanghai Example New Materials Technology Co., Ltd.",
        "uscc": "91310115MA1K3BTP2B",
        "region": "310115",
        "address": "",
        "industry_code": "C3985",
        "employees": 120,
        "revenue_cny": "38000000.00",
        "assets_cny": "52000000.00",
        "size_class": "small",
        "size_standard": {
            "industry_group": "industry",
            "valid_from": "2011-06-18",
            "source": "工信部联企业〔2011〕300号 《中小企业划型标准规定》",
        },
        "size_reason": "small: every bound met (employees 120 ≥ 20; revenue (10,000 CNY) 3800 ≥ 300).",
        "size_reason_zh": "小型：各项指标均达到界限（从业人员 120 ≥ 20; 营业收入（万元） 3800 ≥ 300）。",
        "holder": None,
        "designations": [
            {
                "kind": "tech_sme",
                "authority": "上海市科学技术委员会",
                "year": 2026,
                "valid_until": "2026-12-31",
                "registration_number": "20263101150A001234",
                "source_url": "",
            }
        ],
        "contact_name": "",
        "contact_email": "bd@example.com",
        "contact_phone": "",
        "verified": False,
        "version": 1,
        "created_at": "2026-11-25T10:00:00+08:00",
        "updated_at": "2026-11-25T10:00:00+08:00",
    },
    response_only=True,
)

DEMAND_WRITE = OpenApiExample(
    "Looking for a solid-state electrolyte",
    value={
        "title": "寻求固态电解质制备技术",
        "title_en": "Solid-state electrolyte preparation",
        "description": "用于动力锂电池的硫化物固态电解质，要求离子电导率高、可规模化生产。",
        "keywords": ["固态电解质", "锂电池"],
        "ipc_codes": ["H01M 10/0562"],
        "wanted_offer_types": ["ordinary", "open_licence"],
        "budget_max_cny": "2000000.00",
        "preferred_regions": ["310000"],
        "deadline": "2027-06-30",
        "open": True,
    },
    request_only=True,
)

DEMAND_WRITE_SME = OpenApiExample(
    "As an SME writes it, without IPC codes",
    value={
        "title": "我们是一家电池厂，想找能提高锂离子电池低温放电性能的电解液技术",
        "open": True,
    },
    description=(
        "Matched with the subclasses suggested for its text (H01M first); the response's "
        "suggested_ipc offers them to accept into ipc_codes. 未填 IPC 时按建议分类匹配。"
    ),
    request_only=True,
)

DEMAND_CREATED_SME = OpenApiExample(
    "Created and matched, with suggested subclasses",
    value={
        "id": 42,
        "enterprise": {"id": 7, "name": "上海某电池有限公司"},
        "title": "我们是一家电池厂，想找能提高锂离子电池低温放电性能的电解液技术",
        "title_en": "",
        "description": "",
        "description_en": "",
        "keywords": [],
        "ipc_codes": [],
        "wanted_offer_types": [],
        "budget_min_cny": None,
        "budget_max_cny": None,
        "preferred_regions": [],
        "suggested_ipc": [
            {
                "code": "H01M",
                "title": "用于直接转变化学能为电能的方法或装置，例如电池组",
                "title_en": "Processes or means, e.g. batteries, for the direct conversion "
                "of chemical energy into electrical energy",
                "score": 0.2172,
            },
            {
                "code": "H02J",
                "title": "电力网络;供电或配电的电路装置或系统；电能存储系统",
                "title_en": "Circuit arrangements or systems for supplying or distributing "
                "electric power; systems for storing electric energy",
                "score": 0.04,
            },
        ],
        "deadline": None,
        "status": "matched",
        "opened_at": "2026-12-07T10:00:00+08:00",
        "closed_at": None,
        "matched_at": "2026-12-07T10:00:00+08:00",
        "version": 1,
        "created_at": "2026-12-07T10:00:00+08:00",
        "updated_at": "2026-12-07T10:00:00+08:00",
    },
    response_only=True,
)

MATCH = OpenApiExample(
    "An explained match",
    value=[
        {
            "id": 301,
            "demand": 41,
            "patent": {
                "id": 5521,
                "application_number": "CN202110123456.7",
                "publication_number": "CN112768765B",
                "title": "一种硫化物固态电解质及其制备方法",
                "title_en": "Sulfide solid electrolyte and preparation method thereof",
                "main_ipc": "H01M 10/0562",
                "legal_status": "granted",
                "expiry_date": "2041-01-28",
            },
            "offer": {
                "id": 88,
                "offer_type": "open_licence",
                "pricing_mode": "royalty_net_sales",
                "lump_sum_cny": None,
                "royalty_rate": "3.00",
                "status": "published",
            },
            "score": "86.40",
            "explanation": {
                "score": 86.4,
                "components": [
                    {
                        "name": "text",
                        "weight": 0.35,
                        "value": 0.9,
                        "reason_en": "matches 固态电解质, 硫化物",
                        "reason_zh": "匹配词：固态电解质、硫化物",
                    },
                    {
                        "name": "ipc",
                        "weight": 0.25,
                        "value": 1.0,
                        "reason_en": "same IPC group H01M 10/0562",
                        "reason_zh": "同一 IPC 组 H01M 10/0562",
                    },
                ],
                "matched_terms": ["固态电解质", "硫化物"],
                "reason_en": "Same IPC group, text matches, open licence within budget.",
                "reason_zh": "同一 IPC 组，文本匹配，开放许可在预算内。",
            },
            "state": "suggested",
            "dismissal_reason": "",
            "version": 1,
            "created_at": "2026-11-25T10:00:00+08:00",
            "updated_at": "2026-11-25T10:00:00+08:00",
        }
    ],
    response_only=True,
)

INQUIRY_WRITE = OpenApiExample(
    "About a match",
    value={"match": 301, "message": "我们希望了解该专利的实施条件和许可费用。"},
    request_only=True,
)

DEAL_WRITE = OpenApiExample(
    "An ordinary licence agreed through an inquiry",
    value={
        "inquiry": 77,
        "kind": "ordinary",
        "contract_date": "2026-11-20",
        "term_start": "2026-12-01",
        "term_end": "2031-11-30",
        "amount_cny": "500000.00",
    },
    request_only=True,
)

DEAL_RECORDATION = OpenApiExample(
    "The recordation CNIPA gave the contract",
    value={"recordation_number": "X2026310000123", "recordation_date": "2027-01-15"},
    request_only=True,
)

OPEN_LICENCE_ACCEPT = OpenApiExample(
    "Taking an open licence",
    value={"offer": 88, "notice_date": "2026-11-24", "payment_evidence": "BOC-20261124-0042"},
    request_only=True,
)

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
