"""Facet links: the current search with one facet value toggled."""

from django import template

from catalog.search import RUNTIME_BUCKETS

register = template.Library()
MULTIPLE = {"genre": "genres", "language": "languages", "certification": "certifications"}


@register.simple_tag
def facet_link(filters, name: str, option) -> str:
    if name in MULTIPLE:  # a value toggles within the facet's other values
        chosen = [v for v in getattr(filters, MULTIPLE[name]) if v != option.value]
        if not option.selected:
            chosen.append(option.value)
        return filters.querystring(**{name: sorted(chosen)})
    if name == "year":
        decade = int(option.value)
        return filters.querystring(
            year_min=None if option.selected else decade,
            year_max=None if option.selected else decade + 9,
        )
    if name == "runtime":
        low, high = next((lo, hi) for key, _, lo, hi in RUNTIME_BUCKETS if key == option.value)
        return filters.querystring(
            runtime_min=None if option.selected else low,
            runtime_max=None if option.selected else high,
        )
    return filters.querystring(**{name: "" if option.selected else option.value})
