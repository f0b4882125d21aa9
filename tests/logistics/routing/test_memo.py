"""The planner's bounded memo: least recently used entries leave first, one at a time."""

import random

import pytest

from logistics.routing.memo import LruMemo
from tests.logistics.routing.interleaving import interleaved, run_together


def remember(memo: LruMemo, key: str) -> str:
    return memo.get_or_compute(key, lambda: f"computed {key}")


def test_memo_computes_once_and_then_answers_from_memory():
    memo: LruMemo[str, str] = LruMemo(2)
    calls: list[str] = []
    assert memo.get_or_compute("a", lambda: calls.append("a") or "A") == "A"
    assert memo.get_or_compute("a", lambda: calls.append("a") or "other") == "A"
    assert calls == ["a"]


def test_memo_evicts_the_least_recently_used_entry_only():
    memo: LruMemo[str, str] = LruMemo(3)
    for key in ("a", "b", "c"):
        remember(memo, key)
    remember(memo, "a")  # "b" is now the least recently used
    remember(memo, "d")
    assert len(memo) == 3
    assert "b" not in memo
    assert all(key in memo for key in ("a", "c", "d"))


def test_memo_refuses_a_size_below_one():
    with pytest.raises(ValueError):
        LruMemo(0)


def test_memo_shared_by_threads_answers_every_key_with_its_own_value():
    """Guards the memo's lock: 16 threads ask for 6 keys through a 4-entry memo, switching threads
    at every line of it, so entries are evicted between another thread's look-up of a key and its
    move to the recent end. Every answer must be the key's own value; no KeyError."""
    memo: LruMemo[int, str] = LruMemo(4)
    answers: list[tuple[int, str]] = []
    errors: list[Exception] = []

    def worker(index: int) -> None:
        keys = random.Random(index).choices(range(6), k=200)
        with interleaved(LruMemo.get_or_compute):
            for key in keys:
                try:
                    answers.append((key, memo.get_or_compute(key, lambda key=key: f"value of {key}")))
                except Exception as exc:  # noqa: BLE001 — every failure is reported below
                    errors.append(exc)

    run_together(worker, 16)

    assert errors == []
    assert len(answers) == 16 * 200
    assert all(value == f"value of {key}" for key, value in answers)
    assert len(memo) <= 4
