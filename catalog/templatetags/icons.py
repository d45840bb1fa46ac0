"""`{% icon "name" %}`: one of Marquee's own icons (templates/components/icons.svg, inlined once
per page by base.html), decorative: the control beside it carries the text a screen reader
reads. `{% avatar profile %}`: a profile's drawn avatar on its colour."""

from django import template
from django.utils.html import format_html

register = template.Library()

ICONS = frozenset(
    (
        "up", "down", "love", "not-interested", "seen", "plus", "check", "play", "close",
        "arrow-up", "arrow-down", "lock", "search", "contrast", "more", "filter", "sliders",
        "swap", "signout", "chevron", "star", "star-left", "star-right", "warning",
    )
)  # fmt: skip


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    if name not in ICONS:  # a typo shows at once in development, not as an empty box
        raise template.TemplateSyntaxError(f"No icon named {name!r}.")
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>',
        f" {css}" if css else "",
        name,
    )


@register.simple_tag
def avatar(profile, size: str = "") -> str:
    """The avatar as a decorative SVG; the name beside it says whose it is."""
    return format_html(
        '<span class="avatar{}" style="--avatar: {}" aria-hidden="true"><svg viewBox="0 0 48 48" '
        'focusable="false"><use href="#avatar-{}"></use></svg></span>',
        f" avatar-{size}" if size else "",
        profile.avatar_colour,
        profile.avatar,
    )


@register.simple_tag
def avatar_drawing(name: str) -> str:
    """One drawn avatar by name, on the page's accent colour (the profile form's choices)."""
    return format_html(
        '<span class="avatar avatar-small" aria-hidden="true"><svg viewBox="0 0 48 48" '
        'focusable="false"><use href="#avatar-{}"></use></svg></span>',
        name,
    )
