import dagster as dg

# One partition per order, keyed by the opaque order id. The name is a storage key: never rename it.
video_partitions = dg.DynamicPartitionsDefinition(name="videos")
