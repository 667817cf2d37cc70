"""``manage.py import_offers``, ``import_licences``, ``import_pledges``: the same rules as the
API import (patents.imports.records), from a file on disk."""

import io

import pytest
from django.core.management import CommandError, call_command

from patents.models import LicenceRecord, LicensingOffer, Pledge

pytestmark = pytest.mark.django_db


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_offers_for_a_holder_dry_run_then_write(tmp_path, holder_a, operator, patent_a):
    path = write(
        tmp_path,
        "offers.csv",
        "patents,offer_type,title\nCN201910209152.5,ordinary,锂电池专利许可\n",
    )
    out, _err = run("import_offers", path, "--holder", holder_a.pk, "--dry-run")
    assert "1 offers would be created" in out
    assert not LicensingOffer.objects.exists()
    out, _err = run("import_offers", path, "--holder", holder_a.pk, "--user", "operator")
    assert "1 offers were created" in out
    offer = LicensingOffer.objects.get()
    assert offer.holder == holder_a
    assert offer.history.first().history_user == operator


def test_import_licences_names_the_licensor_per_row_and_refuses_conflicts(tmp_path, patent_a):
    row = "甲大学,{name},exclusive,201910209152.5,2025-01-10,2030-01-09,{number}\n"
    path = write(
        tmp_path,
        "licences.csv",
        "licensor,licensee_name,kind,patents,term_start,term_end,recordation_number\n"
        + row.format(name="某公司", number="R1")
        + row.format(name="另一公司", number="R2"),
    )
    with pytest.raises(CommandError, match="1 errors"):
        run("import_licences", path)
    assert not LicenceRecord.objects.exists()
    path.write_text(
        path.read_text().splitlines()[0] + "\n" + row.format(name="某公司", number="R1")
    )
    out, _err = run("import_licences", path)
    assert "1 licences were created" in out
    out, _err = run("import_licences", path)
    assert "0 licences were created, 0 updated, 1 unchanged" in out


def test_import_pledges_reports_every_error_by_row_and_column(tmp_path, patent_a):
    path = write(
        tmp_path,
        "pledges.jsonl",
        '{"pledgor": "甲大学", "pledgee_name": "上海银行", "patents": ["201910209152.5"], '
        '"secured_amount_cny": "abc", "registration_date": "2025-05-01", "debt_end": "2028-05-01"}\n'
        '{"pledgor": "无此单位", "pledgee_name": "上海银行", "patents": "201910209152.5", '
        '"secured_amount_cny": 100, "registration_date": "2025-05-01", "debt_end": "2028-05-01"}\n',
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_pledges", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["row 1, secured_amount_cny", "row 2, pledgor"]
    assert not Pledge.objects.exists()


def test_an_unknown_holder_or_user_stops_the_command(tmp_path):
    path = write(tmp_path, "offers.csv", "title\nx\n")
    with pytest.raises(CommandError, match="No holder"):
        run("import_offers", path, "--holder", 999999)
    with pytest.raises(CommandError, match="No user"):
        run("import_pledges", path, "--user", "nobody")
