"""Small helpers for the tests of every app: a logged-in client, the messages of a response, the
URL arguments of a cluster year, a minimal PDF."""

from django.test import Client

from clusters.models import ClusterYear

PDF = b"%PDF-1.4\n%%EOF\n"


def login(user) -> Client:
    """A client logged in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def year_kwargs(cluster_year: ClusterYear) -> dict:
    return {"cluster": cluster_year.cluster.uuid, "year": cluster_year.year}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
