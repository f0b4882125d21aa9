"""Logistics models: e-hubs, lanes and (later) shipments."""
