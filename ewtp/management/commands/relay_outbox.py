"""`manage.py relay_outbox`: publish the outbox's jobs to the broker until stopped (SIGTERM/SIGINT)."""

from django.core.management.base import BaseCommand

from ewtp.outbox import relay_forever


class Command(BaseCommand):
    help = "Publish committed jobs from the outbox to Celery's broker, until stopped."

    def handle(self, *args, **options) -> None:
        self.stdout.write("relay_outbox: publishing the outbox's jobs (Ctrl-C stops)")
        relay_forever()
        self.stdout.write("relay_outbox: stopped")
