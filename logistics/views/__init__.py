"""Server-rendered logistics pages."""
