from .views import documents, elections, nominations, polls, voting

app_name = "awards"
urlpatterns = (
    nominations.urlpatterns
    + polls.urlpatterns
    + voting.urlpatterns
    + documents.urlpatterns
    + elections.urlpatterns
)
