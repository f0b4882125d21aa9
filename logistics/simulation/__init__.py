"""The pure e-hub simulation (clock, events, disruptions): no Django, no ORM.

Arrives with the parcels issue; its import-linter contract is already in place."""
