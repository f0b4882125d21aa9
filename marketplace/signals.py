"""Facts the marketplace announces; other apps (logistics) connect in their `AppConfig.ready()`.

Sent inside the transaction that makes them true, so a receiver's writes (a shipment row) commit
or roll back with the fact; receivers enqueue jobs with `delay_on_commit` and must not let a
broker outage break the sender (a periodic sweeper catches up).
"""

from django.dispatch import Signal

# An order was paid: each of `consignments` is now ready_to_ship. kwargs: order, consignments.
consignments_ready_to_ship = Signal()

# A paid order was cancelled before hand-over: each of `consignments` is now cancelled (their
# shipments stop and give back the capacity they booked). kwargs: order, consignments.
consignments_cancelled = Signal()
