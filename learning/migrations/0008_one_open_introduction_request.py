# One open introduction request per email, peer country and theme, in the database.
#
# Before this, the rule lived only in the form, so simultaneous submissions could store
# duplicates. The constraints cannot be added over them: for each group of open
# duplicates, the request the Support Unit got furthest with (then the oldest) stays
# open and the others are closed, each with an event saying which request it duplicated.
# A fresh install has none.

import django.db.models.functions.text
from django.db import migrations, models

OPEN_STATUSES = ("new", "contacted")
PROGRESS = {"contacted": 0, "new": 1}


def close_duplicate_open_requests(apps, schema_editor):
    IntroductionRequest = apps.get_model("learning", "IntroductionRequest")
    IntroductionEvent = apps.get_model("learning", "IntroductionEvent")
    groups = {}
    for request in IntroductionRequest.objects.filter(status__in=OPEN_STATUSES).order_by(
        "created_at", "pk"
    ):
        key = (request.email.strip().lower(), request.peer_country_id, request.theme_id)
        groups.setdefault(key, []).append(request)
    for requests in groups.values():
        if len(requests) < 2:
            continue
        kept, *duplicates = sorted(requests, key=lambda r: (PROGRESS[r.status], r.created_at, r.pk))
        for duplicate in duplicates:
            IntroductionEvent.objects.create(
                request=duplicate,
                from_status=duplicate.status,
                to_status="closed",
                note=f"Closed automatically: a duplicate of open request #{kept.pk}.",
            )
            IntroductionRequest.objects.filter(pk=duplicate.pk).update(status="closed")


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0003_membership_full_text_reform_records"),
        ("learning", "0007_fellowship_deadline_time_zone"),
    ]

    operations = [
        migrations.RunPython(close_duplicate_open_requests, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="introductionrequest",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                models.F("peer_country"),
                models.F("theme"),
                condition=models.Q(("status__in", ("new", "contacted")), ("theme__isnull", False)),
                name="one_open_introduction_per_theme",
                violation_error_message="This person already has an open request "
                "for this peer country and theme.",
            ),
        ),
        migrations.AddConstraint(
            model_name="introductionrequest",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                models.F("peer_country"),
                condition=models.Q(("status__in", ("new", "contacted")), ("theme__isnull", True)),
                name="one_open_introduction_without_theme",
                violation_error_message="This person already has an open request "
                "for this peer country without a theme.",
            ),
        ),
    ]
