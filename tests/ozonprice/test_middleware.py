"""The /api/ JSON-errors middleware: Django's own HTML error answers become `{"detail": ...}` with the needed headers."""

import json

from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from rest_framework.response import Response

from ozonprice.middleware import ApiJsonErrorsMiddleware


def through(response: HttpResponse, path: str = "/api/products", **extra) -> HttpResponse:
    calls = []

    def get_response(request):
        calls.append(request)
        return response

    answer = ApiJsonErrorsMiddleware(get_response)(RequestFactory().get(path, **extra))
    answer.view_called = bool(calls)
    return answer


def test_an_html_404_under_api_becomes_json():
    answer = through(HttpResponse("<h1>Not Found</h1>", status=404))

    assert answer.status_code == 404 and json.loads(answer.content) == {"detail": "Not found."}


def test_a_server_error_becomes_json_and_keeps_retry_after():
    html = HttpResponse("<h1>Server Error</h1>", status=503)
    html["Retry-After"] = "30"

    answer = through(html)

    assert json.loads(answer.content) == {"detail": "Server error."} and answer["Retry-After"] == "30"


def test_other_codes_are_named_by_their_phrase():
    assert json.loads(through(HttpResponse(status=405)).content) == {"detail": "Method Not Allowed"}


def test_json_answers_drf_answers_successes_and_other_paths_pass_untouched():
    for original, path in [
        (JsonResponse({"detail": "mine"}, status=400), "/api/x"),
        (Response({"detail": "drf"}, status=400), "/api/x"),
        (HttpResponse("ok"), "/api/x"),
        (HttpResponse("<h1>Not Found</h1>", status=404), "/admin/x"),
    ]:
        assert through(original, path) is original


def test_a_declared_body_over_the_limit_is_refused_before_the_view(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    answer = through(HttpResponse("never"), CONTENT_LENGTH="101")

    assert answer.status_code == 400 and not answer.view_called
    assert "body" in json.loads(answer.content)["errors"]
