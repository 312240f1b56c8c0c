"""The Dagster instance our sensors read and write through: one per process.

A sensor's `context.instance` is built anew from the instance reference on every evaluation (its storages opened,
their schema checked): about 30 ms of CPU each time, several times a minute while orders flow. The code server that
evaluates the sensors is replaced every minute or so by the daemon, and this instance goes with it. A context built
in a test, with an instance and no reference, gives that instance.
"""

import threading

import dagster as dg

_lock = threading.Lock()
_kept: list = []  # [(instance reference, instance)], at most one


def sensor_instance(context: dg.SensorEvaluationContext) -> dg.DagsterInstance:
    ref = context.instance_ref
    if ref is None:
        return context.instance
    with _lock:
        if not _kept or _kept[0][0] != ref:
            for _ref, stale in _kept:
                stale.dispose()
            _kept[:] = [(ref, dg.DagsterInstance.from_ref(ref))]
        return _kept[0][1]
