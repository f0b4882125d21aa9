"""Reference and demo data for the e-hub network, loaded by `seed_demo` through the services."""
