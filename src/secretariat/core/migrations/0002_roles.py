from django.db import migrations

from secretariat.core.roles import ROLES, ensure_roles


def add_roles(apps, schema_editor):
    ensure_roles(apps.get_model("core", "Role"))


def remove_roles(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[r[0] for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_roles, remove_roles)]
