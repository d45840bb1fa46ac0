"""`{% rating_stars current id_prefix %}`: the one rating widget (title page, onboarding's
quick rate): five stars, each in two halves, every half a submit button of the form around it,
so rating works without JavaScript and htmx only swaps the answer in."""

from django import template

register = template.Library()

STAR_VALUES = [n / 2 for n in range(1, 11)]  # ½ to 5 stars in half steps (RatingForm's)


@register.inclusion_tag("components/stars.html")
def rating_stars(current, prefix: str, key) -> dict:
    """Buttons get ids `<prefix>-<key>-<stars>`, e.g. rate-42-4.5."""
    current = float(current) if current not in (None, "") else None
    halves = [
        {
            "value": f"{value:.1f}",
            "spoken": f"{value:g} star{'' if value == 1 else 's'}",
            "side": "right" if value.is_integer() else "left",
            "filled": current is not None and value <= current,
            "pressed": current == value,
        }
        for value in STAR_VALUES
    ]
    return {"halves": halves, "current": current, "id_prefix": f"{prefix}-{key}"}
