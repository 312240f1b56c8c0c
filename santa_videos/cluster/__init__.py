"""Several machines: the local cluster for the demo, the drills and the bench."""
