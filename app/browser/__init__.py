"""The only code that touches the browser: thin adapters over app.core."""
