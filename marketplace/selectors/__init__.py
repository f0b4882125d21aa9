"""Reads of the marketplace, one module per domain; they own select_related/prefetch_related."""
