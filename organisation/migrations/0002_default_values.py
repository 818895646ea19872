from django.db import migrations

# The values of the seed page ("Forbindelsen til ITK's kultur"); an administrator edits them.
VALUES = [
    ("Ansvar", "Vi tager ansvar for opgaver og fælles mål."),
    ("Faglighed", "Vi bidrager med hver vores faglighed og deler den."),
    ("Åbenhed", "Vi deler viden og erfaringer åbent og lytter nysgerrigt."),
    ("Nærvær", "Vi er til stede for hinanden og kommunikerer respektfuldt og ærligt."),
    ("Udvikling", "Vi lærer gennem praksis, refleksion og feedback."),
    ("Humor", "Vi har det sjovt sammen og tager arbejdet alvorligt, ikke os selv."),
]


def create(apps, schema_editor):
    Value = apps.get_model("organisation", "Value")
    for position, (name, description) in enumerate(VALUES):
        Value.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
