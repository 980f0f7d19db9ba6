"""libcore for Python: NumPy in, NumPy out; native when libcore.so.1 is
present, NumPy when it is not.

    import numpy as np, libcore
    x = np.random.default_rng(0).standard_normal(16000).astype(np.float32)
    s = libcore.stats(x)            # one SIMD pass: s.min, s.max, s.mean, s.var(ddof=1)
    libcore.backend()               # "native" or "numpy"

The array and statistics functions run on NumPy, with the same semantics,
when the library cannot be loaded (or LIBCORE_DISABLE=1); the stateful
classes (RingBuffer, EncoderCache, Metrics, LogMel, Vad, AudioReader, Pipeline) then raise
LibcoreUnavailable. LIBCORE_STRICT=1 makes a failed load an import error.
The library is loaded lazily, on the first call that needs it.
"""

from ._errors import LibcoreError, LibcoreUnavailable
from ._native import backend, strict_load as _strict_load

__version__ = "0.1.0"

# -- arrays, statistics, batch (native or NumPy) ------------------------------
# (section owned by the arrays/stats part)
from .arrays import (arange, concatenate, cumsum, float_to_pcm16, full, linspace,
                     normal_pdf, normalize, ones, pcm16_to_float, zeros)
from .stats import (STATS_DTYPE, Stats, corrcoef, dot, energy, percentile, rms, stats,
                    zero_crossing_rate)
from .batch import StatsAccumulator, StatsArray, batch_stats, frame_stats, stats_file

# -- stateful classes (native only) -------------------------------------------
# (section owned by the classes part)
from .ring import RingBuffer
from .cache import EncoderCache, CacheStats, audio_key, key_bytes
from .metrics import Metrics, Timer, Counter, Gauge, TimerStats
from .audio import LogMel, LogMelStream, Vad
from .audio_file import AudioInfo, AudioReader, read_audio, audio_info
from .pipeline import Pipeline, Event, EventKind, PipelineStats
# Collections of files (collection.h) and the corpus tools' layout (issue 13).
from . import collection, corpus

_strict_load()
