from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A person's name in Vietnamese order: family and middle names, then the given name.
    Empty for no user (e.g. one deleted since)."""
    if user is None:
        return ""
    try:
        return user.person.full_name
    except (ObjectDoesNotExist, AttributeError):
        pass
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
