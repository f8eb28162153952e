from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("plans/<int:pk>/measures/", views.measure_list, name="list"),
    path("measures/<int:pk>/", views.measure_detail, name="detail"),
    path("measures/<int:pk>/values/new/", views.value_create, name="value_create"),
]
