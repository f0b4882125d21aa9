"""The trade's own settings (imported by `ewtp.settings`): orders, payments and escrow, payouts,
the periodic jobs beat runs, routing and the simulated e-hubs. Each read from the environment."""

from __future__ import annotations

import os

from celery.schedules import crontab

# Unpaid orders release their stock after this many minutes (expired by Celery beat).
EWTP_ORDER_PAYMENT_MINUTES = int(os.environ.get("EWTP_ORDER_PAYMENT_MINUTES", "30"))
# The platform's share of the goods, kept when escrow is released to the seller.
EWTP_COMMISSION_RATE = os.environ.get("EWTP_COMMISSION_RATE", "0.05")
# A payment still pending this long (a process died between the charge and its record) is looked
# up at the gateway and finished (marketplace.services.payments). Longer than any request lives.
EWTP_PAYMENT_RECONCILE_MINUTES = float(os.environ.get("EWTP_PAYMENT_RECONCILE_MINUTES", "2"))
# The card processor: the sandbox until a real provider implements `PaymentGateway`.
EWTP_PAYMENT_GATEWAY = os.environ.get("EWTP_PAYMENT_GATEWAY", "marketplace.services.payments.SandboxGateway")
# Payouts (marketplace.services.payouts): gateway, smallest on-demand payout (USD), sweeper delay.
EWTP_PAYOUT_GATEWAY = os.environ.get(
    "EWTP_PAYOUT_GATEWAY", "marketplace.services.payouts.SandboxPayoutGateway"
)
EWTP_PAYOUT_MINIMUM_USD = os.environ.get("EWTP_PAYOUT_MINIMUM_USD", "10")
EWTP_PAYOUT_RETRY_MINUTES = float(os.environ.get("EWTP_PAYOUT_RETRY_MINUTES", "2"))
# The platform's registrations under VAT/GST collection schemes, printed on each pre-declaration
# of a consignment whose tax it collected at sale (issue 21). The defaults are sandbox numbers.
EWTP_VAT_SCHEME_NUMBERS = {
    "IOSS": os.environ.get("EWTP_IOSS_NUMBER", "IM5280000001"),
    "UK_POS": os.environ.get("EWTP_UK_VAT_NUMBER", "GB000000000"),
    "CBEC": os.environ.get("EWTP_CBEC_NUMBER", "CBEC-SANDBOX-0001"),
    "MY_LVG": os.environ.get("EWTP_MY_LVG_NUMBER", "LVG-SANDBOX-0001"),
    "AU_LVG": os.environ.get("EWTP_AU_LVG_NUMBER", "ARN-SANDBOX-0001"),
    "BR_PRC": os.environ.get("EWTP_BR_PRC_NUMBER", "RC-SANDBOX-0001"),
}
# Women-owned and youth-led badges: the evidence is deleted this many days after the decision.
EWTP_BADGE_EVIDENCE_DAYS = int(os.environ.get("EWTP_BADGE_EVIDENCE_DAYS", "30"))
# Webhooks (marketplace.services.webhooks): attempts per delivery, the first retry's delay (then
# ×3 each time, at most 6 h), and when a failing endpoint is disabled (attempts in a row, and hours).
EWTP_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("EWTP_WEBHOOK_MAX_ATTEMPTS", "8"))
EWTP_WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("EWTP_WEBHOOK_RETRY_BASE_SECONDS", "10"))
EWTP_WEBHOOK_DISABLE_AFTER = int(os.environ.get("EWTP_WEBHOOK_DISABLE_AFTER", "20"))
EWTP_WEBHOOK_DISABLE_AFTER_HOURS = float(os.environ.get("EWTP_WEBHOOK_DISABLE_AFTER_HOURS", "24"))
# Periodic jobs run by beat: short tasks, never long countdowns on the broker.
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "ewtp.relay_outbox", "schedule": 30.0},  # backstop of `relay_outbox`
    "expire-unpaid-orders": {"task": "marketplace.expire_unpaid_orders", "schedule": 60.0},
    "reconcile-payments": {"task": "marketplace.reconcile_payments", "schedule": 60.0},
    "purge-idempotency-keys": {"task": "marketplace.purge_idempotency_keys", "schedule": 3600.0},
    "sweep-unrouted-shipments": {"task": "logistics.sweep_unrouted_shipments", "schedule": 60.0},
    "sweep-outages": {"task": "logistics.sweep_outages", "schedule": 300.0},  # lost re-routing jobs
    "sweep-parcel-emails": {"task": "logistics.sweep_parcel_emails", "schedule": 300.0},  # lost e-mail jobs
    "simulation-tick": {"task": "logistics.simulation_tick", "schedule": 10.0},
    "sweep-payouts": {"task": "marketplace.sweep_payouts", "schedule": 60.0},
    "purge-badge-evidence": {"task": "marketplace.purge_badge_evidence", "schedule": 86400.0},
    "sweep-webhooks": {"task": "marketplace.sweep_webhooks", "schedule": 60.0},
    "purge-staged-images": {"task": "marketplace.purge_staged_images", "schedule": 3600.0},
    # Sellers are paid their available balance each Monday morning (UTC), at most once a week.
    "weekly-payouts": {
        "task": "marketplace.weekly_payouts",
        "schedule": crontab(hour=6, minute=0, day_of_week=1),
    },
}
# Shipments waiting longer than this for a route get their routing job published again.
EWTP_ROUTING_SWEEP_MINUTES = int(os.environ.get("EWTP_ROUTING_SWEEP_MINUTES", "5"))
# The simulated e-hub: simulated seconds per real second (1 = real time), the seed that makes it
# reproducible, and the share of parcels customs hold for 1-3 days.
EWTP_SIM_SPEED = float(os.environ.get("EWTP_SIM_SPEED", "1"))
# A fast clock pauses while nothing reads it for longer than this (the demo stopped, not weeks skipped).
EWTP_SIM_MAX_GAP_SECONDS = float(os.environ.get("EWTP_SIM_MAX_GAP_SECONDS", "120"))
EWTP_SIM_SEED = os.environ.get("EWTP_SIM_SEED", "ewtp")
EWTP_CUSTOMS_HOLD_RATE = float(os.environ.get("EWTP_CUSTOMS_HOLD_RATE", "0.03"))
# The delivery promise is the quoted ETA plus this (the seller's time to hand over, a missed
# departure), rounded up to the end of the local day (logistics/routing/promise.py).
EWTP_PROMISE_BUFFER_HOURS = int(os.environ.get("EWTP_PROMISE_BUFFER_HOURS", "48"))

