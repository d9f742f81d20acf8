"""The SKU list's bulk action "Push images to Ozon": the imagepush form, then a background job.

Like the other remote admin actions, the request does not wait for Ozon: the
pushes are recorded (`validated`), an `AdminJob` carrying only their ids is
queued, and the manager follows its progress page. Pushes Ozon has not
finished within the job's budget stay `sent` and are settled by the scheduled
re-poll (`imagepush.tasks.repoll_image_pushes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from imagepush.actions import push_images_form
from imagepush.models import PushSource
from imagepush.services import image_pushes_record
from imagepush.validation import PushRequest
from pricing.admin.common import job_started
from pricing.admin.sku.actions import one_account
from pricing.models import JobKind
from pricing.services.jobs import admin_job_start


@admin.action(description=_("Push images to Ozon"), permissions=["push_images"])
def push_images_to_ozon(modeladmin, request, queryset):
    # One account's SKUs: the job runs with that account (each push row carries it too).
    if (selection := one_account(modeladmin, request, queryset)) is None:
        return None
    account = selection[0]

    def start(pairs: Sequence[tuple[Any, PushRequest]]) -> HttpResponse:
        actor = request.user.get_username()
        requests = [push_request for _sku, push_request in pairs]
        push_ids = image_pushes_record(requests=requests, source=PushSource.ADMIN, requested_by=actor)
        job = admin_job_start(
            kind=JobKind.IMAGE_PUSH,
            product_ids=[r.product_id for r in requests],
            actor=actor,
            params={"push_ids": push_ids},
            account=account,
        )
        return job_started(modeladmin, request, job)

    return push_images_form(modeladmin, request, queryset, start=start)
