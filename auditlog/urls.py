from django.urls import path

from auditlog import apis

urlpatterns = [
    path("api-logs", apis.ApiLogListApi.as_view(), name="api-logs"),
]
