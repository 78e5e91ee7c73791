"""The garbage-collector tuning the rendered service applies at start-up, applied here too.

The service freezes its start-up heap and collects the young generation less often
(`GC_YOUNG_THRESHOLD`, default 10,000; see its app/infrastructure/garbage_collection.py). The
reference apps do the same, so the ratios measure the CQRS machinery, not a runtime setting
either side could use. `GC_YOUNG_THRESHOLD=0` runs both with Python's defaults.
"""

from __future__ import annotations

import gc
import os


def tune_garbage_collection() -> None:
    young_threshold = int(os.environ.get("GC_YOUNG_THRESHOLD", "10000"))
    if young_threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(young_threshold, *gc.get_threshold()[1:])
