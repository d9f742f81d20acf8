"""A scripted Ozon for service tests, registered on the `responses` mock.

Answers the four catalogue endpoints in Ozon's documented shapes from a list
of product dicts, so tests can change the catalogue between syncs.
"""

import json
from dataclasses import dataclass, field

import responses

BASE = "https://api-seller.ozon.ru"


def fake_ozon_client(*, api_key: str, retries: int = 1, concurrency: int = 1):
    """An Ozon client for the fake's BASE: no rate limit, no real sleeps, `retries` retries."""
    from ozonprice.clients.http import RetryPolicy
    from ozonprice.clients.ozon import OzonClient

    return OzonClient(
        base_url=BASE,
        client_id="123456",
        api_key=api_key,
        rate_limit=0,
        retry=RetryPolicy(max_retries=retries),
        sleep=lambda s: None,
        concurrency=concurrency,
    )


def product(i: int, **overrides) -> dict:
    data = {
        "product_id": 1000 + i,
        "offer_id": f"ART-{i:04d}",
        "sku": 5000 + i,
        "name": f"Товар {i}",
        "price": "1290.00",
        "old_price": "1590.00",
        "min_price": "1200.00",
        "marketing_seller_price": 1250.5,
        "present": 5,
        "reserved": 1,
        "archived": False,
        "images": [f"https://cdn.example/{i}/1.jpg", f"https://cdn.example/{i}/2.jpg"],
    }
    data.update(overrides)
    return data


@dataclass
class FakeOzon:
    products: list[dict] = field(default_factory=list)
    # path -> list of (status, body) answered before the normal answer
    failures: dict[str, list[tuple[int, object]]] = field(default_factory=dict)
    # product ids to leave out of /v3/product/info/list
    info_gaps: set[int] = field(default_factory=set)
    # offer_id -> [(code, message)] answered as item errors by the price import
    import_errors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # sku -> customer price (string) for /v1/product/prices/details
    customer_prices: dict[int, str] = field(default_factory=dict)
    imports: list[list[dict]] = field(default_factory=list)
    # (visibility, n) -> body: the n-th call (from 0) to /v3/product/list for that visibility answers
    # this instead (Ozon's lies); per visibility, since the sync lists ALL and ARCHIVED side by side
    list_answers: dict[tuple[str, int], object] = field(default_factory=dict)
    list_calls: dict[str, int] = field(default_factory=dict)

    def install(self, mock: responses.RequestsMock) -> "FakeOzon":
        for path, handler in {
            "/v3/product/list": self._list,
            "/v3/product/info/list": self._info,
            "/v5/product/info/prices": self._prices,
            "/v4/product/info/stocks": self._stocks,
            "/v1/product/import/prices": self._import_prices,
            "/v1/product/prices/details": self._details,
        }.items():
            mock.add_callback(responses.POST, BASE + path, callback=self._wrap(path, handler))
        return self

    def _wrap(self, path, handler):
        def callback(request):
            queued = self.failures.get(path)
            if queued:
                status, body = queued.pop(0)
                text = body if isinstance(body, str) else json.dumps(body)
                return status, {}, text
            return 200, {}, json.dumps(handler(json.loads(request.body)))

        return callback

    def _by_id(self, ids) -> list[dict]:
        wanted = {int(x) for x in ids}
        return [p for p in self.products if p["product_id"] in wanted]

    def _visible(self, visibility: str) -> list[dict]:
        archived = visibility == "ARCHIVED"
        return [p for p in self.products if p["archived"] == archived]

    def _list(self, body):
        visibility = body["filter"]["visibility"]
        call = self.list_calls.get(visibility, 0)
        self.list_calls[visibility] = call + 1
        if (visibility, call) in self.list_answers:
            answer = self.list_answers[visibility, call]
            return answer(body) if callable(answer) else answer
        return self.list_page(body)

    def list_page(self, body):
        """The honest answer to a /v3/product/list request."""
        rows = self._visible(body["filter"]["visibility"])
        start = int(body["last_id"] or 0)
        page = rows[start : start + body["limit"]]
        items = [
            {
                "product_id": p["product_id"],
                "offer_id": p["offer_id"],
                "archived": p["archived"],
                "has_fbo_stocks": False,
                "has_fbs_stocks": True,
                "is_discounted": False,
                "quants": [],
                "sku": p["sku"],
            }
            for p in page
        ]
        last_id = str(start + len(page)) if page else ""
        return {"result": {"items": items, "total_items": len(rows), "last_id": last_id}}

    def _info(self, body):
        items = []
        for p in self._by_id(body["product_id"]):
            if p["product_id"] in self.info_gaps:
                continue
            items.append(
                {
                    "id": p["product_id"],
                    "offer_id": p["offer_id"],
                    "sku": p["sku"],
                    "name": p["name"],
                    "price": p["price"],
                    "old_price": p["old_price"],
                    "min_price": p["min_price"],
                    "currency_code": "RUB",
                    "images": p["images"],
                    "primary_image": p["images"][:1],
                    "color_image": [],
                    "is_archived": p["archived"],
                    "is_autoarchived": False,
                    "stocks": {"has_stock": p["present"] > 0, "stocks": []},
                    "statuses": {"status": "price_sent"},
                    "visibility_details": {"has_price": True, "has_stock": p["present"] > 0},
                }
            )
        return {"items": items}

    def _cursor_page(self, body, make):
        rows = self._by_id(body["filter"]["product_id"])
        archived = body["filter"]["visibility"] == "ARCHIVED"
        rows = [p for p in rows if p["archived"] == archived]
        start = int(body["cursor"] or 0)
        page = rows[start : start + body["limit"]]
        cursor = str(start + len(page)) if start + len(page) < len(rows) else ""
        return {"items": [make(p) for p in page], "cursor": cursor, "total_items": len(rows)}

    def _prices(self, body):
        def make(p):
            return {
                "product_id": p["product_id"],
                "offer_id": p["offer_id"],
                "price": {
                    "price": float(p["price"]),
                    "old_price": float(p["old_price"]),
                    "min_price": float(p["min_price"]),
                    "marketing_seller_price": p["marketing_seller_price"],
                    "currency_code": "RUB",
                    "vat": "0.2",
                },
            }

        return self._cursor_page(body, make)

    def _stocks(self, body):
        def make(p):
            return {
                "product_id": p["product_id"],
                "offer_id": p["offer_id"],
                "stocks": [{"present": p["present"], "reserved": p["reserved"], "sku": p["sku"], "type": "fbs"}],
            }

        return self._cursor_page(body, make)

    def find(self, product_id: int) -> dict:
        return next(p for p in self.products if p["product_id"] == product_id)

    def _import_prices(self, body):
        self.imports.append(body["prices"])
        result = []
        for item in body["prices"]:
            errors = self.import_errors.get(item["offer_id"], [])
            if not errors:
                p = self.find(int(item["product_id"]))
                p.update(price=item["price"], old_price=item["old_price"], min_price=item["min_price"])
            result.append(
                {
                    "product_id": item["product_id"],
                    "offer_id": item["offer_id"],
                    "updated": not errors,
                    "errors": [{"code": c, "message": m} for c, m in errors],
                }
            )
        return {"result": result}

    def _details(self, body):
        prices = []
        for p in self.products:
            if str(p["sku"]) in body["skus"] and p["sku"] in self.customer_prices:
                prices.append(
                    {
                        "sku": p["sku"],
                        "offer_id": p["offer_id"],
                        "customer_price": {"amount": self.customer_prices[p["sku"]], "currency": "RUB"},
                        "price": {"amount": p["price"], "currency": "RUB"},
                    }
                )
        return {"prices": prices}
