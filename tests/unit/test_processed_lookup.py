"""The plain SQL that looks a command's idempotency keys up: one placeholder a key, built once per count."""

from __future__ import annotations

from pos_app.infrastructure.repositories import any_processed_sql


def test_the_lookup_has_a_placeholder_for_each_key_and_is_built_once_per_count() -> None:
    three = any_processed_sql(3)

    assert three.count("?") == 3
    assert 'IN (?, ?, ?) ORDER BY processed_at, "key"' in three
    assert any_processed_sql(3) is three
    assert any_processed_sql(1).count("?") == 1
