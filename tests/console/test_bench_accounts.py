"""`bench --accounts`: each account's run one after the other, or one thread (and connection) per account at once."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from console.bench_accounts import accounts_each
from tests.factories import AccountFactory


@pytest.mark.django_db
def test_one_after_the_other_runs_each_account_in_order_on_the_calling_thread():
    accounts = [AccountFactory(), AccountFactory()]
    seen = []

    results = accounts_each(accounts, lambda a: seen.append(threading.get_ident()) or a.pk, concurrent=False)

    assert results == [a.pk for a in accounts]
    assert seen == [threading.get_ident()] * 2


@pytest.mark.django_db
def test_at_once_is_a_thread_per_account_each_on_its_own_connection_closed_at_its_end(monkeypatch):
    accounts = [AccountFactory(), AccountFactory()]
    backend = type(connections[DEFAULT_DB_ALIAS])
    closed, close = [], backend.close
    monkeypatch.setattr(backend, "close", lambda self: closed.append(self) or close(self))
    both_in = threading.Barrier(2, timeout=10)  # neither ends before the other started: they overlap
    wrappers = []

    def run(account):
        wrapper = connections[DEFAULT_DB_ALIAS]  # the thread's own (the `connection` proxy reads it)
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
        wrappers.append(wrapper)
        both_in.wait()
        return threading.get_ident(), account.pk

    results = accounts_each(accounts, run, concurrent=True)

    assert [pk for _thread, pk in results] == [a.pk for a in accounts]  # in the accounts' order
    assert len({thread for thread, _pk in results} | {threading.get_ident()}) == 3
    assert len({id(w) for w in wrappers}) == 2 and connections[DEFAULT_DB_ALIAS] not in wrappers
    # Closed, not left to the bench's end (SQLite's in-memory test database ignores a close: it would drop it).
    assert all(any(w is c for c in closed) for w in wrappers)
    assert all(w.connection is None for w in wrappers if not getattr(w, "is_in_memory_db", lambda: False)())


@pytest.mark.django_db
def test_at_once_raises_an_accounts_error_after_every_run_ended():
    accounts = [AccountFactory(), AccountFactory()]
    ended = []

    def run(account):
        if account == accounts[0]:
            raise RuntimeError("boom")
        ended.append(account.pk)

    with pytest.raises(RuntimeError, match="boom"):
        accounts_each(accounts, run, concurrent=True)
    assert ended == [accounts[1].pk]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"accounts": 0}, "--accounts takes a number ≥ 1"),
        ({"sizes": "201", "accounts": 2}, "--sizes must split evenly over 2 accounts"),
        ({"sizes": "10000,100001", "accounts": 2}, "--sizes must split evenly over 2 accounts"),
    ],
)
def test_accounts_that_do_not_split_the_sizes_are_refused_before_anything_runs(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("bench", **options)
