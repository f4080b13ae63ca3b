"""The mayor's public schedule moves to ``media`` (the press office keeps it too): its tables
are renamed and the models leave this app's state; media 0001 takes them over as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("council", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("scheduleitem", "media_scheduleitem"),
                migrations.AlterModelTable("schedulemailing", "media_schedulemailing"),
            ],
            state_operations=[
                migrations.DeleteModel("ScheduleItem"),
                migrations.DeleteModel("ScheduleMailing"),
            ],
        ),
    ]
