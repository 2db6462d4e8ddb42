"""kg package."""
