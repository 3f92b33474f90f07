from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("certificates/<str:code>/", views.certificate, name="certificate"),
]
