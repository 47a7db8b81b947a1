"""The ladder as enterprises and officers see it: where a firm stands, what it lacks for the next rung (with
margins, in zh and en), and the funnel and cost of the whole registry. Built on the policy pack's variables;
nothing here knows a threshold."""
