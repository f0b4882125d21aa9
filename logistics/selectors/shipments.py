"""Shipments selectors: arrives with the parcels issue (routing jobs, the simulated e-hub, tracking)."""
