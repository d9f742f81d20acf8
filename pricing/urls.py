from django.urls import path

from ozonprice import converters  # noqa: F401 - registers <ozon_id:…>
from pricing import apis

urlpatterns = [
    path("products/set-mrpc", apis.SetMrpcApi.as_view(), name="api-products-set-mrpc"),
    path("products/set-discount", apis.SetDiscountApi.as_view(), name="api-products-set-discount"),
    path("products/update-prices", apis.UpdatePricesApi.as_view(), name="api-products-update-prices"),
    path("products/fetch-prices", apis.FetchPricesApi.as_view(), name="api-products-fetch-prices"),
    path("products/guard-promotions", apis.GuardPromotionsApi.as_view(), name="api-products-guard-promotions"),
    path("products/<ozon_id:product_id>/activate", apis.ActivateApi.as_view(), name="api-products-activate"),
    path("products/<ozon_id:product_id>/deactivate", apis.DeactivateApi.as_view(), name="api-products-deactivate"),
    path("products/<ozon_id:product_id>", apis.ProductUpdateApi.as_view(), name="api-products-update"),
    path("price-history", apis.PriceHistoryApi.as_view(), name="api-price-history"),
]
