"""Forms of the logistics pages and admin."""
