"""Django's PostgreSQL backend, batching bulk writes within the protocol's parameter limit.

With server-side binding (settings: `DB_PREPARED_STATEMENTS`, on by default) every value travels
as a bound parameter, and PostgreSQL's protocol carries at most 65,535 of them per statement.
Django (5.2) does not batch for that on PostgreSQL: a `bulk_create` of 5,000 listings × 20
columns, or a cascade delete collecting 70,000 rows, failed with "number of parameters must be
between 0 and 65535". `bulk_batch_size` keeps each statement under it, as Django does for SQLite.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations

MAX_QUERY_PARAMS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        if fields and self.connection.features.uses_server_side_binding:
            return max(1, min(len(objs), MAX_QUERY_PARAMS // len(fields)))
        return super().bulk_batch_size(fields, objs)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
