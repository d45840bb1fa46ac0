from django.db import migrations, models

# The emoji the old form suggested or the demo used, and the drawn avatar closest to each.
CLOSEST = {"🍿": "popcorn", "🐱": "cat", "🐈": "cat", "🤖": "robot", "👻": "ghost", "🦉": "owl"}
DRAWN = ["smile", "cat", "robot", "ghost", "popcorn", "owl"]


def emoji_to_drawn(apps, schema_editor):
    """Each profile keeps a picture: the closest drawn one, else one chosen by its id."""
    Profile = apps.get_model("profiles", "Profile")
    for profile in Profile.objects.exclude(avatar_emoji=""):
        profile.avatar = CLOSEST.get(profile.avatar_emoji, DRAWN[profile.pk % len(DRAWN)])
        profile.save(update_fields=["avatar"])


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0012_feedback_seen_flag"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="avatar",
            field=models.CharField(
                choices=[
                    ("smile", "Smile"),
                    ("cat", "Cat"),
                    ("robot", "Robot"),
                    ("ghost", "Ghost"),
                    ("popcorn", "Popcorn"),
                    ("owl", "Owl"),
                ],
                default="smile",
                max_length=12,
            ),
        ),
        migrations.RunPython(emoji_to_drawn, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="profile",
            name="avatar_emoji",
        ),
    ]
