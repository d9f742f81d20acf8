from django.urls import path

from catalog import apis

urlpatterns = [
    path("products", apis.ProductListApi.as_view(), name="api-products"),
    path("products/fetch", apis.ProductFetchApi.as_view(), name="api-products-fetch"),
]
