from .views import nominations, polls, voting

app_name = "awards"
urlpatterns = nominations.urlpatterns + polls.urlpatterns + voting.urlpatterns
