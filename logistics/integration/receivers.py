"""Receivers of marketplace signals: thin, they hand the fact to one service."""

from __future__ import annotations

from logistics.services.shipments import shipment_cancel_for_consignments, shipment_create_for_consignments


def consignments_ready_to_ship(sender, *, order, consignments, **kwargs) -> None:
    """An order was paid (inside its transaction): its consignments become shipments."""
    shipment_create_for_consignments(order=order, consignments=consignments)


def consignments_cancelled(sender, *, order, consignments, **kwargs) -> None:
    """A paid order was cancelled (inside its transaction): its shipments stop."""
    shipment_cancel_for_consignments(consignments=consignments)


def connect() -> None:
    from marketplace import signals

    signals.consignments_ready_to_ship.connect(
        consignments_ready_to_ship, dispatch_uid="logistics-shipments-for-paid-consignments"
    )
    signals.consignments_cancelled.connect(
        consignments_cancelled, dispatch_uid="logistics-shipments-for-cancelled-consignments"
    )
