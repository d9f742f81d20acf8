from django.urls import path

from console.health import HealthApi
from console.metrics import metrics_view

urlpatterns = [
    path("health", HealthApi.as_view(), name="health"),
    path("metrics", metrics_view, name="metrics"),
]
