"""The pure e-hub simulation: no Django, no ORM (import-linter contract).

`clock` turns real time into simulated time; `timeline` turns a shipment's planned legs into the
events a parcel produces on its way (scans, sorting, customs, departures, delivery), deterministic
under a seed. The database side (which shipments are due, writing events) is
`logistics.services.simulation`, run by a Celery beat tick.
"""
