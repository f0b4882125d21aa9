"""Writes to categories (operators in the admin, the demo seeder). Each moves the `catalog`
version after commit: filters, facets and cards name the categories."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from ewtp import versions
from marketplace.models import Category


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Create or edit a category (validated with the model's rules)."""
    category.full_clean()
    category.save()
    versions.bump_on_commit(versions.CATALOG)
    return category


@transaction.atomic
def category_ensure(
    *, slug: str, name: str, position: int = 0, names: dict[str, str] | None = None
) -> Category:
    """The category with `slug`, created with `name`, `position` and its `names` in other languages
    if missing (seeders); an existing one without names in other languages gets them."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        return category_save(category=Category(slug=slug, name=name, position=position, names=names or {}))
    if names and not category.names:
        category.names = names
        return category_save(category=category)
    return category


@transaction.atomic
def category_delete(*, categories: QuerySet[Category]) -> int:
    """Delete categories no listing uses (listings protect theirs: `ProtectedError`)."""
    count, _by_model = categories.delete()
    versions.bump_on_commit(versions.CATALOG)
    return count
