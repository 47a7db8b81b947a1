"""Parameters of the service network (YAML), read by `smeladder.network.parameters`."""
