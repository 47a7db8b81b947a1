"""Shanghai's policy pack: the tier ladder and the money rules of the Several Measures (see pack.yaml)."""
