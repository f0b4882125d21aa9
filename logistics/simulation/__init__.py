"""The pure e-hub simulation (clock, events, disruptions): no Django, no ORM; arrives with the parcels issue."""
