import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from clusters.roles import roles_overview
from clusters.selectors import conferences_served

from .progress import STAGES, prime_leadership, year_progress
from .selectors_secretariat import review_queue, secretariat_board
from .selectors_supervisor import cluster_progress
from .selectors_unit import unit_desks

# The admin's shortcuts into the Django admin: (label, URL name).
ADMIN_LINKS = [
    (_("Clusters"), "admin:clusters_cluster_changelist"),
    (_("Cluster years"), "admin:clusters_clusteryear_changelist"),
    (_("Units"), "admin:clusters_unit_changelist"),
    (_("Officer terms"), "admin:clusters_officerterm_changelist"),
    (_("Supervisions"), "admin:clusters_supervision_changelist"),
    (_("Accounts"), "admin:auth_user_changelist"),
]


@login_required
@require_http_methods(["GET"])
def home(request):
    """What the account has to do now, for each role it holds in the current year of each of its
    clusters: the secretariat's board, a unit's tasks, the deputy's reviews of the leader, the
    supervisor's (and admin's) progress of the clusters; and the conferences where it serves, with
    what the apps show of them (`HOME_SECTIONS`: the polls under way). A fixed number of queries
    whatever the number of clusters, units and hand-ins."""
    user = request.user
    # The clusters and their current years, as the top bar reads them (given to the template
    # too, so that the context processor does not read them again).
    my_roles = roles_overview(user)
    current = []
    for entry in my_roles:
        if entry.cluster_year is not None:
            entry.cluster_year.cluster = entry.cluster  # the boards' links need its uuid
            current.append(entry.cluster_year)
    prime_leadership(current)
    progress = year_progress(
        current, with_sent=any(user.has_perm("desk.view_progress", cy) for cy in current)
    )
    today = timezone.localdate()
    boards, desks, reviews, overview = [], [], [], []
    for cy in current:
        year = progress[cy.pk]
        if user.has_perm("desk.view_progress", cy):
            overview.append(cluster_progress(year))
        if cy.is_closed:
            continue  # a closed year is read-only: nothing waits in it any more
        # Asked of django-rules itself: Django's has_perm answers yes to a superuser for every
        # permission, and an admin gets the overview of every cluster, not every board.
        if rules.has_perm("desk.view_board", user, cy):
            boards.append(secretariat_board(user, year, today=today))
        else:
            # The standing deputy reviews the leader's own scorecard and report.
            reviews.extend(review_queue(user, year))
        desks.extend(unit_desks(user, year))
    return render(
        request,
        "desk/home.html",
        {
            "boards": boards,
            "desks": desks,
            "reviews": reviews,
            "overview": overview,
            "stages": STAGES,
            # Asked only with an overview: without an object the question also reaches Django's
            # ModelBackend, which reads the account's permissions (two queries).
            "can_rollup": bool(overview) and user.has_perm("reports.run_rollup"),
            "admin_links": (
                [(label, reverse(name)) for label, name in ADMIN_LINKS]
                if overview and user.has_perm("desk.open_admin")
                else []
            ),
            "my_roles": my_roles,
            "conferences": list(conferences_served(user)),
            "sections": settings.HOME_SECTIONS,
        },
    )
