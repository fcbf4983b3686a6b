"""The home page's section of the conferences where an account serves (HOME_SECTIONS)."""

from django import template

from ..selectors_home import HomeConference, home_conferences

register = template.Library()


@register.simple_tag
def polls_under_way(conferences, user) -> list[HomeConference]:
    """`{% polls_under_way conferences user as served %}`: each conference with its polls."""
    return home_conferences(conferences, user)
