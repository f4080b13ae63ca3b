from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def copy_to_case(apps, schema_editor):
    """The case now keeps the last-change time (Open311 updated_datetime) itself."""
    Case = apps.get_model("cases", "Case")
    Petition = apps.get_model("petitions", "Petition")
    last = Petition.objects.filter(case=OuterRef("pk")).values("updated_at")[:1]
    Case.objects.filter(kind="petition").update(
        updated_at=Coalesce(Subquery(last), F("updated_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_engine_second_edition"),
        ("petitions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_case, migrations.RunPython.noop),
        migrations.RemoveField(model_name="petition", name="updated_at"),
    ]
