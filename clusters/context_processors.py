from django.utils.functional import SimpleLazyObject

from .roles import roles_overview


def my_roles(request):
    """The user's clusters and roles in each cluster's current year, for the top bar."""
    return {"my_roles": SimpleLazyObject(lambda: roles_overview(request.user))}
