from django.urls import path

from profiles.views import dashboard, gamification

app_name = "dashboard"
urlpatterns = [
    path("", dashboard.dashboard, name="home"),
    path("preferences/", dashboard.preferences, name="preferences"),
    path("preview/", dashboard.preview, name="preview"),
    path("year/<int:year>/", dashboard.year, name="year"),
    path("badges/", gamification.badges, name="badges"),
    path("challenges/", gamification.challenges, name="challenges"),
    path("challenges/join/", gamification.challenge_join_view, name="challenge_join"),
    path("challenges/freeze/", gamification.freeze, name="freeze"),
    path("leaderboard/", gamification.leaderboard, name="leaderboard"),
    path("leaderboard/community/", gamification.community, name="community"),
]
