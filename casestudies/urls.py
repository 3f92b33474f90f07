from django.urls import path

from casestudies import insight_views, views
from casestudies.opendata import views as opendata

app_name = "casestudies"

urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:iso3>/", views.country_detail, name="country_detail"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("insights/", insight_views.insights, name="insights"),
    path("data/", opendata.open_data, name="open_data"),
    path("data/LICENSE.txt", opendata.licence_text, name="open_data_licence"),
    path("data/<slug:dataset>.<str:file_format>", opendata.download, name="open_data_file"),
]
