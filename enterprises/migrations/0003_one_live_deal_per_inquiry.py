# One inquiry leads to at most one live deal (issue 16: repeated requests once turned one
# inquiry into four deals, each with its own licence record).
#
# Before the constraint can be added, an inquiry that already has several live deals keeps
# its first one; each later one and its licence record are soft-deleted (deleted_at, the
# version moves on) with a history row giving the reason, so an operator can find them in
# the admin's history. What an assignment among them already changed (the holder of
# record) is not undone: the history of those patents shows it.

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

REASON = "duplicate deal of inquiry %s (migration enterprises 0003)"


def _retire(record, history_model, now, reason):
    record.deleted_at = now
    record.version += 1
    record.save(update_fields=["deleted_at", "version"])
    values = {
        field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields
    }
    history_model.objects.create(
        **values,
        history_date=now,
        history_type="~",
        history_change_reason=reason[:100],
        history_user_id=None,
    )


def retire_duplicate_deals(apps, schema_editor):
    Deal = apps.get_model("enterprises", "Deal")
    HistoricalDeal = apps.get_model("enterprises", "HistoricalDeal")
    LicenceRecord = apps.get_model("patents", "LicenceRecord")
    HistoricalLicenceRecord = apps.get_model("patents", "HistoricalLicenceRecord")
    now = timezone.now()
    live = Deal.objects.filter(deleted_at__isnull=True, inquiry__isnull=False)
    duplicated = (
        live.values("inquiry_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("inquiry_id", flat=True)
    )
    for inquiry_id in list(duplicated):
        for deal in list(live.filter(inquiry_id=inquiry_id).order_by("id"))[1:]:
            reason = REASON % inquiry_id
            _retire(deal, HistoricalDeal, now, reason)
            record = LicenceRecord.objects.filter(pk=deal.licence_record_id).first()
            if record is not None and record.deleted_at is None:
                _retire(record, HistoricalLicenceRecord, now, reason)


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_size_standard_2011"),
        ("patents", "0012_search_generation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(retire_duplicate_deals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="deal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("deleted_at__isnull", True), ("inquiry__isnull", False)),
                fields=("inquiry",),
                name="deal_one_per_inquiry",
                violation_error_message="A deal was already recorded for this inquiry.",
            ),
        ),
    ]
