"""Every write in the marketplace, one module per domain. Views, API views, admin actions, seeders
and tasks call these; nothing else saves a marketplace row."""
