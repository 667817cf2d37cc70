"""An export as the patent office's search system and the platforms (incoPat, PatSnap ...)
write it: Chinese headers (full- and half-width brackets, a space), columns the product does
not store, full-width digits and punctuation, several values in one cell, IPC symbols with
their edition, dates in five spellings and the legal status in the platform's words.

``fixtures/make_xls.py`` writes the same rows as ``fixtures/platform-export.xls``.
"""

HEADERS = [
    "序号", "申请号", "申请日", "公开（公告）号", "公开(公告)日", "授权公告号", "授权公告日",
    "发明名称", "摘要", "申请（专利权）人", "当前权利人", "发明人", "IPC 分类号", "IPC主分类",
    "简单法律状态", "法律状态", "专利类型", "申请人地址", "代理机构",
]  # fmt: skip

ROWS = [
    [
        "1", "ＣＮ２０１９１０２０９１５２．５", "2019.03.21", "CN109888888A", "2019/6/14",
        "CN109888888B", "2021年3月5日", "一种锂离子电池正极材料及其制备方法",
        "本发明公开了一种正极材料，循环寿命≥２０００次。", "甲大学；丙科技有限公司", "甲大学",
        "张三，李四、王五", "H01M 10/0525(2010.01);H01M 4/131（2010.01）",
        "H01M 10/0525(2010.01)", "有效", "授权|实质审查|公开", "发明",
        "上海市徐汇区某路1号", "上海某专利代理事务所",
    ],
    [
        "2", "202020123456.8", "20200131", "", "", "CN211234567U", "44075",
        "一种电池散热装置", "'-40℃低温散热", "丙科技有限公司", "丙科技有限公司 | 丁研究所",
        "赵六\n孙七", "H01M 10/613(2014.01)", "", "未缴年费", "专利权终止", "实用新型",
        "上海市闵行区某路2号", "",
    ],
    [
        "3", "202210456789.6", "２０２２－０５－１０", "CN114999999A", "2022-08-30", "", "",
        "一种固态电解质膜", "", "甲大学", "", "张三",
        "H01M 10/0562(2010.01),H01M 10/052", "H01M 10/0562(2010.01)", "审中", "实质审查",
        "发明", "", "",
    ],
]  # fmt: skip

COLUMN_MAPPING = [
    {"header": "申请号", "column": "application_number"},
    {"header": "申请日", "column": "filing_date"},
    {"header": "公开（公告）号", "column": "publication_number"},
    {"header": "公开(公告)日", "column": "publication_date"},
    {"header": "授权公告号", "column": "grant_number"},
    {"header": "授权公告日", "column": "grant_date"},
    {"header": "发明名称", "column": "title"},
    {"header": "摘要", "column": "abstract"},
    {"header": "申请（专利权）人", "column": "applicants"},
    {"header": "当前权利人", "column": "current_holders"},
    {"header": "发明人", "column": "inventors"},
    {"header": "IPC 分类号", "column": "ipc_codes"},
    {"header": "简单法律状态", "column": "legal_status"},
    {"header": "专利类型", "column": "patent_type"},
]
IGNORED = ["序号", "IPC主分类", "法律状态", "申请人地址", "代理机构"]
