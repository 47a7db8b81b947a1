"""The enterprise registry: what the city knows about each enterprise, year by year."""
