"""Demo and reference data loaded by `seed_demo` (through the services)."""
