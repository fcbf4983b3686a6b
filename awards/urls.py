from .views import attendance, documents, elections, nominations, polls, voting

app_name = "awards"
urlpatterns = (
    nominations.urlpatterns
    + polls.urlpatterns
    + attendance.urlpatterns
    + voting.urlpatterns
    + documents.urlpatterns
    + elections.urlpatterns
)
