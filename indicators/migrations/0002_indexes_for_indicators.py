"""Indexes that keep ``GET /api/v1/indicators/`` (and ``.../series/``) bounded at a million
patents: each aggregate of ``indicators.compute`` reads one of them, and most are answered
from the index alone (the columns it reads are included).

They are on other apps' tables, so they are created here with SQL (Django's model state
of those apps does not know them, and ``makemigrations`` leaves them alone); the app that
needs them owns them.
"""

from django.db import migrations

INDEXES = {
    # compute.valid: the region's invention patents, with what validity and the high-value
    # categories at a year end read.
    "indicators_patent_inventions": (
        "patents_patent (region_id, grant_date) INCLUDE (legal_status, legal_status_date, "
        "filing_date, has_foreign_grant, awards, hv_strategic_emerging, hv_high_pledge) "
        "WHERE patent_type = 'invention' AND jurisdiction = 'CN' AND deleted_at IS NULL"
    ),
    # compute.grants: patents granted in the years, by type.
    "indicators_patent_grants": (
        "patents_patent (grant_date, region_id) INCLUDE (patent_type) "
        "WHERE grant_date IS NOT NULL AND jurisdiction = 'CN' AND deleted_at IS NULL"
    ),
    # compute.pct: the region's patents naming a PCT application.
    "indicators_patent_pct": (
        "patents_patent (region_id) INCLUDE (pct_application_number) "
        "WHERE pct_application_number <> '' AND jurisdiction = 'CN' AND deleted_at IS NULL"
    ),
    # compute.licences: licence records by recordation date.
    "indicators_licence_recorded": (
        "patents_licencerecord (recordation_date) INCLUDE (licensor_id, kind, amount_cny, "
        "source, deleted_at) WHERE recordation_date IS NOT NULL"
    ),
    # compute.deals: licence records by contract date.
    "indicators_licence_contract": (
        "patents_licencerecord (contract_date) INCLUDE (amount_cny) WHERE contract_date IS NOT NULL"
    ),
    # compute.pledges: pledges by registration date.
    "indicators_pledge_registered": (
        "patents_pledge (registration_date) INCLUDE (pledgor_id, secured_amount_cny, "
        "registration_number, deleted_at)"
    ),
    # compute.inquiries: inquiries by first response.
    "indicators_inquiry_responded": (
        "enterprises_inquiry (responded_at) INCLUDE (holder_id, response_seconds, deleted_at) "
        "WHERE responded_at IS NOT NULL"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_reference_figures"),
        ("patents", "0014_ipc_english_title_index"),
        ("enterprises", "0003_one_live_deal_per_inquiry"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
