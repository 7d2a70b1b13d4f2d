"""dyplan: a Douyin shop's year of paid traffic, planned in its Excel workbook."""

import os

# pandas keeps its texts, and a report is read, in Arrow arrays of a few MB at most. Arrow's default
# pool (mimalloc) keeps arenas of its own for them, about 9 MB more at an import's peak than the C
# library's allocator takes. Arrow reads this when it loads (pandas loads it), unless set already:
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import pyarrow as pa  # after the setting it reads

# and where pandas was loaded first, the arrays from now on
pa.set_memory_pool(pa.system_memory_pool())
