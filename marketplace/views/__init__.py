"""Server-rendered marketplace pages, one module per domain."""
