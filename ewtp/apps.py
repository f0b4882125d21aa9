from django.apps import AppConfig


class EwtpConfig(AppConfig):
    """The project's own wiring: no models, only start-up hooks."""

    name = "ewtp"
    verbose_name = "eWTP"

    def ready(self) -> None:
        from ewtp import db, lockout

        lockout.connect()
        db.connect()
