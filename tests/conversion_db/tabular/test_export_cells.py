"""Cells as the patent platforms' exports write them (conversion_db.tabular.cells,
docs/importing-exports.md): dates in five spellings and as serial numbers, lists in any
separator, full-width choices. Pure functions: no database."""

import datetime

import pytest

from conversion_db.tabular import cells

MARCH_21 = datetime.date(2019, 3, 21)


@pytest.mark.parametrize(
    "written",
    ["2019-03-21", "2019.03.21", "2019/3/21", "20190321", "2019年3月21日", "２０１９．０３．２１",
     "2019-03-21 00:00:00", 43545, 43545.0, "43545", "43545.0", 20190321],
)  # fmt: skip
def test_a_date_is_read_in_every_spelling_exports_use(written):
    assert cells.date(written) == MARCH_21


@pytest.mark.parametrize("written", ["2019", "2019-02-30", "21/03/2019", 43545.5, True, "三月"])
def test_what_is_not_a_date_is_refused(written):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        cells.date(written)


def test_a_list_is_split_on_every_separator_exports_use():
    assert cells.items("张三；李四,王五，赵六|孙七、周八\n吴九; 张三") == [
        "张三", "李四", "王五", "赵六", "孙七", "周八", "吴九",
    ]  # fmt: skip


def test_a_comma_before_a_company_suffix_stays_in_the_name():
    assert cells.items("Huawei Technologies Co., Ltd.; Acme, Inc.，甲大学") == [
        "Huawei Technologies Co., Ltd.",
        "Acme, Inc.",
        "甲大学",
    ]


def test_full_width_words_of_a_choice_are_read():
    assert cells.boolean("ＴＲＵＥ") is True
    assert cells.normalised(" （２０１０．０１） ") == "(2010.01)"
