from .views import (
    attendance,
    documents,
    elections,
    nominations,
    polls,
    printables,
    settings,
    voting,
)

app_name = "awards"
urlpatterns = (
    nominations.urlpatterns
    + polls.urlpatterns
    + attendance.urlpatterns
    + voting.urlpatterns
    + documents.urlpatterns
    + printables.urlpatterns
    + elections.urlpatterns
    + settings.urlpatterns
)
