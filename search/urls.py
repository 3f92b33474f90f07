from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/v1/search/", views.search_api, name="search_api"),
    path("peers/", views.peers_page, name="peers"),
    path("peers/brief.pdf", views.peer_brief, name="peer_brief"),
    path("api/v1/match/", views.match_api, name="match_api"),
]
