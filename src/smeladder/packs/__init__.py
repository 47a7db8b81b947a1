"""Built-in policy packs, found by name (`smeladder.rules.locate`). Each directory is a pack."""
