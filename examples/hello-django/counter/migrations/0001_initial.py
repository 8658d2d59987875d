from django.db import migrations, models


def create_visits(apps, schema_editor):
    apps.get_model("counter", "Counter").objects.get_or_create(name="visits")


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True)),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        # The row exists before the first request, so counting is a single UPDATE.
        migrations.RunPython(create_visits, migrations.RunPython.noop),
    ]
