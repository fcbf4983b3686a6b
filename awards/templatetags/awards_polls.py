"""The conference page's list of its polls (CONFERENCE_SECTIONS)."""

from django import template

from ..models import Poll
from ..selectors import polls_shown

register = template.Library()


@register.simple_tag
def conference_polls(conference, user) -> list[Poll]:
    """`{% conference_polls conference user as polls %}`: the polls this user may open."""
    return polls_shown(conference, user)
