"""OpenAPI examples of the matching endpoints."""

from drf_spectacular.utils import OpenApiExample

SUGGEST = OpenApiExample(
    "锂离子电池正极材料",
    value=[
        {
            "code": "H01M",
            "level": "subclass",
            "title": "用于直接转变化学能为电能的方法或装置，例如电池组",
            "title_en": "PROCESSES OR MEANS, e.g. BATTERIES, FOR THE DIRECT CONVERSION OF "
            "CHEMICAL ENERGY INTO ELECTRICAL ENERGY",
            "score": 0.62,
            "supporting_patents": 14,
            "method": "model",
        },
        {
            "code": "H01M 4/00",
            "level": "group",
            "title": "电极",
            "title_en": "Electrodes",
            "score": 0.21,
            "supporting_patents": 5,
            "method": "model",
        },
    ],
    response_only=True,
)

SIMILAR = OpenApiExample(
    "Similar patents",
    value=[
        {
            "id": 42,
            "application_number": "201910209152.5",
            "publication_number": "CN109918572A",
            "title": "一种锂离子电池正极材料及其制备方法",
            "title_en": "",
            "holders": [{"id": 3, "name": "复旦大学", "name_en": "Fudan University"}],
            "ipc_codes": ["H01M 10/0525"],
            "legal_status": "in_force",
            "explanation": {
                "patent_id": 42,
                "offer_id": None,
                "score": 71.3,
                "matched_terms": ["锂离子电池", "正极材料"],
                "reason_en": "text matches 锂离子电池, 正极材料; same IPC main group; "
                "legal status: in force",
                "reason_zh": "文本匹配：锂离子电池、正极材料；同一 IPC 大组；法律状态：有效",
                "components": [
                    {
                        "name": "text",
                        "weight": 0.5625,
                        "value": 0.82,
                        "reason_en": "text matches 锂离子电池, 正极材料",
                        "reason_zh": "文本匹配：锂离子电池、正极材料",
                    }
                ],
            },
        }
    ],
    response_only=True,
)
