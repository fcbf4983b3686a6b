from .views import criteria, deadlines, engagement, ranking, review, scoring, settings

app_name = "scorecards"
urlpatterns = (
    criteria.urlpatterns
    + scoring.urlpatterns
    + review.urlpatterns
    + ranking.urlpatterns
    + engagement.urlpatterns
    + deadlines.urlpatterns
    + settings.urlpatterns
)
