from django.urls import path

from imagepush import apis

urlpatterns = [
    path("push-images", apis.PushImagesApi.as_view(), name="api-push-images"),
]
