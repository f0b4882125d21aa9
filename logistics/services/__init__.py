"""Every write in logistics, one module per domain (admin actions and seeders included)."""
