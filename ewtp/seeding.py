"""Registry of demo-data seeders, so `seed_demo` can seed every app without
marketplace importing logistics: each app registers its seeder in `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable

Seeder = Callable[[Callable[[str], None]], None]
_seeders: list[tuple[int, str, Seeder]] = []


def register(name: str, seeder: Seeder, *, order: int = 100) -> None:
    if any(existing == name for _, existing, _ in _seeders):
        return
    _seeders.append((order, name, seeder))


def seeders() -> list[tuple[str, Seeder]]:
    return [(name, fn) for _, name, fn in sorted(_seeders, key=lambda row: (row[0], row[1]))]
