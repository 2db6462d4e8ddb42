"""advisor package."""
