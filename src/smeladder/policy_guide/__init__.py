"""The plain-language guide to the Several Measures (the "enterprise-friendly version", M6.4), generated from
the policy pack: who qualifies, how much, how it is delivered, what to prepare, in zh and en, as Markdown and
as data for the web. Amounts come from the pack's parameters, so the guide cannot drift from the rules."""
