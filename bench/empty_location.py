"""A code location with nothing in it: what Dagster's daemon and code server cost at idle on their own, the
baseline the idle figure subtracts."""

import dagster as dg

defs = dg.Definitions()
