from django.core.management.base import BaseCommand

from ewtp import seeding


class Command(BaseCommand):
    help = "Load the demo data (shops, listings, rates, e-hub network). Idempotent: safe to run twice."

    def handle(self, *args, **options):
        for name, seeder in seeding.seeders():
            self.stdout.write(f"seeding {name}…")
            seeder(lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
