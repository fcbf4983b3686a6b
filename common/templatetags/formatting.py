"""Numbers in templates the way common.formatting writes them: {% load formatting %}."""

from django import template

from common import formatting

register = template.Library()


@register.filter
def points(value) -> str:
    """{{ criterion.max_points|points }}: 7,5 and 60 in Vietnamese (never 60,00); empty for no
    value."""
    if value is None or value == "":
        return ""
    return formatting.points(value)
