"""Administrative division codes (GB/T 2260): parse the spellings users send."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RegionCodeError(ValueError):
    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


def normalise_region_code(text: str) -> str:
    """Six-digit code from ``310115``, ``31`` (province), ``3101`` (city) or a 9/12-digit code.

    Statistical codes (``310115000000``) and street codes (``310115005``) keep their
    first six digits when the rest only refines them.
    """
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not re.fullmatch(r"\d+", cleaned):
        raise RegionCodeError(
            "invalid_region_code",
            _("“%(value)s” is not a region code: use six digits, such as 310115.")
            % {"value": text},
        )
    if len(cleaned) == 2:
        return cleaned + "0000"
    if len(cleaned) == 4:
        return cleaned + "00"
    if len(cleaned) in (6, 9, 12):
        return cleaned[:6]
    raise RegionCodeError(
        "invalid_region_code",
        _("“%(value)s” is not a region code: use six digits, such as 310115.") % {"value": text},
    )


def region_code_prefix(code: str) -> str:
    """Prefix shared by a six-digit code and everything below it (31, 3101 or 310115)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# --- Regions named in addresses and names -----------------------------------------------------
_PROVINCE_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市",
)  # fmt: skip
_CITY_SUFFIXES = ("市", "地区", "盟")
_POSTCODE = re.compile(r"^\s*\d{6}\s*")


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str  # province, city, district
    parent_code: str | None
    is_current: bool


def _short(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class RegionGazetteer:
    """Find the GB/T 2260 region an address (or a registered enterprise name) names.

    Built from the rows of the region table (current and historical codes), so an address
    in 上海市闸北区 gets 310108, the code of that district when the address was written.
    """

    def __init__(self, rows: list[RegionRow]) -> None:
        self.rows = {row.code: row for row in rows}
        self.provinces: list[tuple[str, str]] = []  # (spelling, code), longest first
        self.cities: list[tuple[str, str]] = []
        self.districts: dict[str, list[RegionRow]] = {}
        for row in rows:
            if row.level == "province":
                for spelling in {row.name, _short(row.name, _PROVINCE_SUFFIXES)}:
                    self.provinces.append((spelling, row.code))
            elif row.level == "city":
                if row.name in ("市辖区", "县") or "直辖" in row.name:
                    continue
                for spelling in {row.name, _short(row.name, _CITY_SUFFIXES)}:
                    self.cities.append((spelling, row.code))
            elif len(row.name) >= 3 and row.name not in ("市辖区", "城区", "郊区", "矿区"):
                self.districts.setdefault(row.name, []).append(row)
        self.provinces.sort(key=lambda item: (-len(item[0]), not self.rows[item[1]].is_current))
        self.cities.sort(key=lambda item: (-len(item[0]), not self.rows[item[1]].is_current))

    def _under(self, code: str, ancestor: str | None) -> bool:
        if ancestor is None:
            return True
        row: RegionRow | None = self.rows.get(code)
        while row is not None:
            if row.code == ancestor:
                return True
            row = self.rows.get(row.parent_code) if row.parent_code else None
        return False

    def from_address(self, address: str) -> str | None:
        """The most precise region an address names (district, else city, else province).

        The province must open the address (after a postcode and 中国); a city or district
        must lie under what precedes it, and a district name shared by several regions
        with nothing to tell them apart gives no district."""
        text = _POSTCODE.sub("", unicodedata.normalize("NFKC", address or "")).strip()
        text = text.removeprefix("中国").strip()
        if not text:
            return None
        found: str | None = None
        for spelling, code in self.provinces:
            if text.startswith(spelling):
                found, text = code, text[len(spelling) :]
                break
        for spelling, code in self.cities:
            if text.startswith(spelling) and self._under(code, found):
                found, text = code, text[len(spelling) :]
                break
        best: tuple[int, RegionRow] | None = None
        for position in range(min(len(text), 40)):
            for length in range(min(12, len(text) - position), 2, -1):
                candidates = self.districts.get(text[position : position + length])
                if not candidates:
                    continue
                under = [row for row in candidates if self._under(row.code, found)]
                if found is None and len({row.code for row in under}) > 1:
                    continue  # a name several regions share, with nothing to tell them apart
                if under:
                    under.sort(key=lambda row: (not row.is_current, row.code))
                    best = (position, under[0])
                    break
            if best is not None:
                break
        if best is not None and (found is not None or best[0] == 0):
            return best[1].code
        return found

    def from_enterprise_name(self, name: str) -> str | None:
        """The region a registered enterprise name states: the division it opens with
        (上海天马微电子有限公司) or gives in brackets (映瑞光电科技(上海)有限公司), as the rules on
        enterprise names require (企业名称登记管理规定: the registering authority's division)."""
        text = unicodedata.normalize("NFKC", name or "").strip()
        bracketed = re.search(r"\(([^()]{2,12})\)", text)
        for candidate in (text, bracketed[1] if bracketed else ""):
            if not candidate:
                continue
            code = self.from_address(candidate)
            if code is not None and self._opens_with_region(candidate):
                return code
        return None

    def _opens_with_region(self, text: str) -> bool:
        return any(text.startswith(spelling) for spelling, _ in (*self.provinces, *self.cities))
