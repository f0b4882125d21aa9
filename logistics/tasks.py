"""Celery tasks of logistics (routing jobs, simulation ticks) arrive with the parcels issue."""
