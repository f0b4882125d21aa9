from django.apps import AppConfig


class EwtpConfig(AppConfig):
    """The project's own wiring: start-up hooks, and the outbox of jobs (`ewtp.outbox`)."""

    name = "ewtp"
    verbose_name = "eWTP"

    def ready(self) -> None:
        from ewtp import db, lockout

        lockout.connect()
        db.connect()
