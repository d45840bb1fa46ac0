from django import template

register = template.Library()


@register.filter
def percent(value, digits: int = 2) -> str:
    """0.0123 -> "1.23%"; an empty value is a dash."""
    if value is None or value == "":
        return "—"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def signed_percent(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{100 * float(value):+.{int(digits)}f} pp"
