from .views import criteria, deadlines, engagement, ranking, review, scoring

app_name = "scorecards"
urlpatterns = (
    criteria.urlpatterns
    + scoring.urlpatterns
    + review.urlpatterns
    + ranking.urlpatterns
    + engagement.urlpatterns
    + deadlines.urlpatterns
)
