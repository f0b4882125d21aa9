"""Shipments models: arrives with the parcels issue (routing jobs, the simulated e-hub, tracking)."""
