import ast
import pydoc
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django_q.models import Schedule

from ozonprice.accounts import account_run_name
from ozonprice.leases import task_lease
from ozonprice.models import Account, RuntimeSettings, TaskLease
from ozonprice.schedule import jobs, schedules_install
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_a_second_acquire_fails_while_the_lease_is_held():
    assert TaskLease.acquire("job", ttl=timedelta(minutes=5))
    assert TaskLease.acquire("job", ttl=timedelta(minutes=5)) is None


def test_an_expired_lease_can_be_taken_again():
    with time_machine.travel("2026-11-23 10:00:00Z", tick=False):
        assert TaskLease.acquire("job", ttl=timedelta(minutes=5))
    with time_machine.travel("2026-11-23 10:05:01Z", tick=False):
        assert TaskLease.acquire("job", ttl=timedelta(minutes=5))


def test_only_the_owner_can_release_a_lease():
    token = TaskLease.acquire("job", ttl=timedelta(minutes=5))

    assert TaskLease.release("job", "not-the-owner") is False
    assert TaskLease.acquire("job", ttl=timedelta(minutes=5)) is None
    assert TaskLease.release("job", token) is True
    assert TaskLease.acquire("job", ttl=timedelta(minutes=5))


def test_task_lease_skips_a_run_while_another_holds_it_and_releases_after():
    with task_lease("job") as first:
        with task_lease("job") as second:
            assert first and second is None
    with task_lease("job") as again:
        assert again


def test_task_lease_is_released_when_the_run_fails():
    with pytest.raises(RuntimeError), task_lease("job"):
        raise RuntimeError("boom")

    with task_lease("job") as held:
        assert held


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_concurrent_runs_wins_the_lease():
    TaskLease.objects.create(name="job", locked_until="2000-01-01T00:00:00Z")
    barrier = threading.Barrier(2)
    won = []

    def run():
        from django.db import OperationalError, connection

        barrier.wait()
        # The suite's in-memory SQLite shares one cache between the threads' connections, and a
        # shared cache answers "table is locked" at once instead of waiting out the busy timeout
        # as a database file does: wait here as the file's busy timeout would.
        for _attempt in range(200):
            try:
                won.append(TaskLease.acquire("job", ttl=timedelta(minutes=5)))
                break
            except OperationalError as error:
                if "locked" not in str(error):
                    raise
                time.sleep(0.01)
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(bool(w) for w in won) == [False, True]


def test_setup_schedules_is_idempotent_and_follows_the_runtime_intervals(account):
    monitor = account_run_name("monitor_products", account)
    call_command("setup_schedules", stdout=StringIO())
    call_command("setup_schedules", stdout=StringIO())
    assert Schedule.objects.filter(name=monitor).count() == 1

    rs = RuntimeSettings.load()
    rs.monitoring_interval = 17
    rs.save()
    schedules_install()

    schedule = Schedule.objects.get(name=monitor)
    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 17)


PER_ACCOUNT = ["guard_promotions", "maintain_mrpc_prices", "monitor_products", "verify_price_changes"]
GLOBAL = ["purge_logs", "repoll_image_pushes"]


def installed() -> dict[str, dict]:
    """Each schedule's kwargs as django-q2's scheduler reads the text column (`ast.literal_eval`)."""
    return {schedule.name: ast.literal_eval(schedule.kwargs or "{}") for schedule in Schedule.objects.all()}


def test_each_active_account_has_its_own_schedules_with_its_id_and_the_global_ones_are_once():
    first, second = AccountFactory(), AccountFactory()
    AccountFactory(active=False)

    schedules_install()

    expected = {account_run_name(job, a): {"account_id": a.pk} for job in PER_ACCOUNT for a in (first, second)}
    assert installed() == {**expected, **{job: {} for job in GLOBAL}}


def test_the_schedules_of_a_paused_or_deleted_account_and_the_ones_from_before_accounts_go():
    kept, paused, deleted = AccountFactory(), AccountFactory(), AccountFactory()
    for job in jobs(RuntimeSettings.load()):  # the un-suffixed schedules of an install before accounts
        if job.per_account:
            Schedule.objects.create(name=job.name, func=job.func, schedule_type=Schedule.MINUTES, minutes=5)
    assert set(PER_ACCOUNT) <= set(installed())
    Account.objects.filter(pk=paused.pk).update(active=False)  # no signal: the next install notices
    Account.objects.filter(pk=deleted.pk).delete()

    schedules_install()

    names = set(installed())
    assert {account_run_name(job, kept) for job in PER_ACCOUNT} <= names
    assert not names & set(PER_ACCOUNT)
    assert not {name for name in names if name.endswith((f":{paused.pk}", f":{deleted.pk}"))}


def test_saving_or_deleting_an_account_reinstalls_the_schedules():
    account = AccountFactory()
    monitor = account_run_name("monitor_products", account)
    assert installed()[monitor] == {"account_id": account.pk}  # a new account starts its runs

    account.active = False
    account.save()
    assert monitor not in installed()  # paused: stopped

    account.active = True
    account.save()
    assert monitor in installed()

    account.delete()
    assert not [name for name in installed() if name.endswith(f":{account.pk}")]


def test_every_schedule_names_a_function():
    schedules_install()

    for schedule in Schedule.objects.all():
        assert callable(pydoc.locate(schedule.func)), schedule.func


def test_the_cluster_settings_avoid_redelivery_and_catch_up():
    q = settings.Q_CLUSTER
    assert q["timeout"] and q["retry"] > q["timeout"]
    assert q["catch_up"] is False
    assert q["orm"] == "default"
    assert q["sync"] is True  # tests run tasks inline


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="the SQLite settings only"
)
def test_a_sqlite_database_file_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            busy = cursor.fetchone()[0]
        assert (mode, busy) == ("wal", 20000)
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_a_second_start_in_the_same_slot_is_skipped_and_the_next_slot_runs(ozon_credentials):
    from ozonprice.schedule import once_per_slot

    runs = []

    @once_per_slot("maintain_mrpc_prices")  # every 5 minutes by default
    def task(*, account):
        runs.append(account.pk)
        return "ran"

    with time_machine.travel("2026-11-23 10:00:00Z", tick=False):
        assert task() == "ran"  # no account named: the only one's
        assert task(account_id=ozon_credentials.pk).startswith("skipped")
    with time_machine.travel("2026-11-23 10:02:31Z", tick=False):
        assert task(account_id=ozon_credentials.pk) == "ran"
    assert runs == [ozon_credentials.pk, ozon_credentials.pk]


def test_each_account_has_its_own_slot():
    from ozonprice.schedule import once_per_slot

    first, second = AccountFactory(), AccountFactory()

    @once_per_slot("maintain_mrpc_prices")
    def task(*, account):
        return f"ran {account.pk}"

    with time_machine.travel("2026-11-23 10:00:00Z", tick=False):
        assert task(account_id=first.pk) == f"ran {first.pk}"
        assert task(account_id=second.pk) == f"ran {second.pk}"  # the first account's run claimed only its slot
        assert task(account_id=first.pk).startswith("skipped")
