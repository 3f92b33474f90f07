from django.urls import path

from learning import views
from learning.introductions import views as introduction_views

app_name = "learning"

urlpatterns = [
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path(
        "certificates/<str:code>/pdf/",
        views.certificate,
        {"as_pdf": True},
        name="certificate_pdf",
    ),
    path(
        "introductions/request/",
        introduction_views.request_introduction,
        name="request_introduction",
    ),
    path(
        "introductions/<str:token>/",
        introduction_views.introduction_status,
        name="introduction_status",
    ),
]
