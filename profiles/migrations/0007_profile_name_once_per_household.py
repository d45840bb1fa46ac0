import django.db.models.functions.text
from django.db import migrations, models


def number_duplicate_names(apps, schema_editor):
    """Profiles created twice at once before the constraint: the later ones get " 2", " 3"."""
    Profile = apps.get_model("profiles", "Profile")
    seen: dict[tuple[int, str], int] = {}
    for profile in Profile.objects.order_by("household_id", "created_at", "id"):
        key = (profile.household_id, profile.name.lower())
        if key not in seen:
            seen[key] = 1
            continue
        taken = {n.lower() for n in Profile.objects.filter(household_id=profile.household_id)
                 .values_list("name", flat=True)}  # fmt: skip
        number = seen[key] + 1
        while f"{profile.name[:36]} {number}".lower() in taken:
            number += 1
        seen[key] = number
        profile.name = f"{profile.name[:36]} {number}"
        profile.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0006_guess_counter"),
    ]

    operations = [
        migrations.RunPython(number_duplicate_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="profile",
            constraint=models.UniqueConstraint(
                models.F("household"),
                django.db.models.functions.text.Lower("name"),
                name="profile_name_once_per_household",
            ),
        ),
    ]
