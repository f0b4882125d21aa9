"""Ledger selectors: arrives with the cross-border checkout issue (cart, consignments, orders, escrow)."""
