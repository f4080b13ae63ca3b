"""Dated agency history: sources and a verified flag for name-history dates and for an agency's
establishment and abolition dates, a flag that keeps administrators' corrections across registry
loads, and report-group membership with a validity period (the M2M gets a through model: the
existing members are copied in as memberships without limits)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_members(apps, schema_editor):
    ReportGroup = apps.get_model("core", "ReportGroup")
    Membership = apps.get_model("core", "ReportGroupMembership")
    rows = ReportGroup.members.through.objects.values_list("reportgroup_id", "agency_id")
    Membership.objects.bulk_create(
        Membership(group_id=group, agency_id=agency) for group, agency in rows
    )


def uncopy_members(apps, schema_editor):
    ReportGroup = apps.get_model("core", "ReportGroup")
    Membership = apps.get_model("core", "ReportGroupMembership")
    through = ReportGroup.members.through
    pairs = set(Membership.objects.values_list("group_id", "agency_id"))
    through.objects.bulk_create(
        through(reportgroup_id=group, agency_id=agency) for group, agency in sorted(pairs)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_importrun"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="dates_source",
            field=models.CharField(
                blank=True,
                help_text="組織規程或自治條例的發布、修正，或公報、機關沿革的出處。",
                max_length=300,
                verbose_name="成立／裁撤日期出處",
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="dates_verified",
            field=models.BooleanField(default=False, verbose_name="成立／裁撤日期已查證"),
        ),
        migrations.AddField(
            model_name="agency",
            name="history_corrected",
            field=models.BooleanField(
                default=False,
                help_text="勾選時，重新載入機關名錄不會改動此機關的成立、裁撤日期與名稱沿革。在管理介面修改這些資料時會自動勾選；取消勾選則下次載入以名錄檔為準。",
                verbose_name="沿革由管理者校正",
            ),
        ),
        migrations.AddField(
            model_name="agencyname",
            name="source",
            field=models.CharField(
                blank=True,
                help_text="日期的依據：組織規程或自治條例的修正、公報文號、機關沿革等。",
                max_length=300,
                verbose_name="出處",
            ),
        ),
        migrations.AddField(
            model_name="agencyname",
            name="verified",
            field=models.BooleanField(default=False, verbose_name="日期已查證"),
        ),
        migrations.CreateModel(
            name="ReportGroupMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="起始日期")),
                (
                    "valid_to",
                    models.DateField(blank=True, null=True, verbose_name="截止日期（不含）"),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_memberships",
                        to="core.agency",
                        verbose_name="機關",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="core.reportgroup",
                        verbose_name="報表合併列",
                    ),
                ),
            ],
            options={
                "verbose_name": "報表合併列成員",
                "verbose_name_plural": "報表合併列成員",
                "ordering": ["group", "agency", "valid_from"],
            },
        ),
        # Django cannot alter an M2M to one with a through model: copy the rows, drop the
        # old field (and its table), add the field again over the new model.
        migrations.RunPython(copy_members, uncopy_members),
        migrations.RemoveField(model_name="reportgroup", name="members"),
        migrations.AddField(
            model_name="reportgroup",
            name="members",
            field=models.ManyToManyField(
                related_name="report_groups",
                through="core.ReportGroupMembership",
                to="core.agency",
                verbose_name="包含機關",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportgroupmembership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_to__isnull", True),
                    ("valid_from__isnull", True),
                    ("valid_to__gt", models.F("valid_from")),
                    _connector="OR",
                ),
                name="reportgroupmembership_valid_range",
            ),
        ),
    ]
