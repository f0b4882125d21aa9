"""Reads of logistics, one module per domain."""
