"""Celery tasks of the marketplace (e-mails, expiring unpaid orders) arrive with the checkout issue."""
