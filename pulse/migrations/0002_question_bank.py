"""The default question bank, written for Sparring on the seed's themes (PRODUCT.md). Each
statement is answered from 1 (strongly disagree) to 5 (strongly agree). Administrators edit
the bank; these are only where it starts."""

from django.db import migrations

QUESTIONS = [
    (
        "trust",
        "Jeg har tillid til, at mine kolleger gør deres bedste.",
        "I trust my colleagues to do their best.",
    ),
    (
        "openness",
        "Jeg kan sige min ærlige mening i teamet uden at frygte konsekvenser.",
        "I can speak my mind in the team without fearing the consequences.",
    ),
    (
        "responsibility",
        "Vi tager fælles ansvar for opgaver og mål i teamet.",
        "We share responsibility for the team's tasks and goals.",
    ),
    (
        "learning",
        "Jeg har lært noget nyt i mit arbejde de seneste uger.",
        "I have learned something new in my work in recent weeks.",
    ),
    (
        "feedback",
        "Jeg får feedback, der hjælper mig til at blive bedre.",
        "I get feedback that helps me get better.",
    ),
    (
        "meaning",
        "Mit arbejde giver mening for mig.",
        "My work is meaningful to me.",
    ),
    (
        "clarity",
        "Jeg ved, hvad der forventes af mig.",
        "I know what is expected of me.",
    ),
    (
        "security",
        "Jeg føler mig tryg på min arbejdsplads.",
        "I feel safe at work.",
    ),
    (
        "wellbeing",
        "Jeg trives i mit arbejde.",
        "I thrive in my work.",
    ),
    (
        "workload",
        "Min arbejdsmængde er til at overkomme.",
        "My workload is manageable.",
    ),
]


def create(apps, schema_editor):
    Question = apps.get_model("pulse", "Question")
    for position, (theme, text_da, text_en) in enumerate(QUESTIONS):
        Question.objects.get_or_create(
            text_da=text_da, defaults={"theme": theme, "text_en": text_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("pulse", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
