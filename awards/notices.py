"""Who is told of each hand-off of the nominations and the polls, and what: the people who act
next (notifications.services.notify), in the service's transaction."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear
from clusters.selectors import delegate_users, member_officer_users, secretariat_users
from notifications.models import Kind
from notifications.services import notify

from .models import Candidate, Poll


def _nominations_url(cluster_year: ClusterYear) -> str:
    return reverse(
        "awards:nominations",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
    )


def nomination_submitted(candidate: Candidate, cluster_year: ClusterYear) -> None:
    """A unit nominated one of its people: to the secretariat, who puts the slate together."""
    person = candidate.person
    assert person is not None  # a nominated person (nominate_person)
    notify(
        users=secretariat_users(cluster_year),
        kind=Kind.NOMINATION_SUBMITTED,
        message=_("%(unit)s nominated %(person)s for %(award)s (%(year)s)."),
        params={
            "unit": person.unit.short_name,
            "person": person.full_name,
            "award": candidate.award_type.name,
            "year": cluster_year.year,
        },
        url=_nominations_url(cluster_year),
    )


def slate_finalised(cluster_year: ClusterYear) -> None:
    notify(
        users=member_officer_users(cluster_year),
        kind=Kind.SLATE_FINALISED,
        message=_("The slate of %(cluster)s for %(year)s is final."),
        params={"cluster": cluster_year.cluster.name, "year": cluster_year.year},
        url=_nominations_url(cluster_year),
    )


def poll_opened(poll: Poll) -> None:
    """To the conference's delegates who have an account (they may vote with it)."""
    notify(
        users=delegate_users(poll.conference),
        kind=Kind.POLL_OPENED,
        message=_("The poll “%(poll)s” is open: cast your ballot."),
        params={"poll": poll.question},
        url=reverse("awards:vote_account", kwargs={"poll": poll.uuid}),
    )


def results_published(poll: Poll) -> None:
    """To the conference's delegates with an account and the member units' officers."""
    cluster_year = poll.conference.cluster_year
    delegates = delegate_users(poll.conference)
    members = member_officer_users(cluster_year)
    notify(
        users=delegates.model.objects.filter(
            Q(pk__in=delegates.values("pk")) | Q(pk__in=members.values("pk"))
        ),
        kind=Kind.RESULTS_PUBLISHED,
        message=_("The result of “%(poll)s” is published."),
        params={"poll": poll.question},
        url=poll.get_absolute_url(),
    )
