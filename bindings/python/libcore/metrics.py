"""Metrics: libcore's registry of latency timers, counters and gauges
(include/core/metrics.h), with Prometheus, JSON and table export.

    m = libcore.Metrics()
    with m.time("encoder.forward"):       # a nanosecond histogram per name
        run()
    m.counter("requests").inc()
    m.gauge("queue_depth").set(3)
    m.timer("encoder.forward").percentile(0.99)   # ns
    print(m.prometheus())

Native only: without libcore.so.1 the constructor raises LibcoreUnavailable.

Recording (``with m.time``, ``record_ns``, ``inc``, ``set``, ``add``) is one
lock-free C call that keeps the GIL (ctypes.PyDLL): no lock, no allocation on
the C side. Registration and export take the registry's lock. Metric ids are
cached per name (and labels), so ``m.time(name)`` costs a dict lookup plus
the C call. A Timer, Counter or Gauge keeps its registry alive.

Threads: every method may run on any number of threads, except close(),
which must not run while another thread records into the same registry
(like core_metrics_destroy; recording skips the bookkeeping that would make
that safe, to stay cheap). After close() every method raises ValueError.
A registry lent to a RingBuffer, EncoderCache or Pipeline (``metrics=m``)
stays alive in C until the last of them is closed, whatever the order of
the close() calls.
"""

import ctypes
import dataclasses
import threading
import time as _time

from . import _native
from ._handle import Closeable
from ._native import check, declare, native

__all__ = ["Metrics", "Timer", "Counter", "Gauge", "TimerStats"]

_c = ctypes
_vp = _c.c_void_p
_sz = _c.c_size_t
_u32 = _c.c_uint32

PROMETHEUS, JSON, TABLE = 0, 1, 2
EXPORT_SUMMARY = 1
KIND_TIMER, KIND_COUNTER, KIND_GAUGE = 0, 1, 2
_E_EMPTY = 5
_E_BUFFER_TOO_SMALL = 3


class MetricsOptions(_c.Structure):
    """core_metrics_options_t."""
    _fields_ = [("struct_size", _sz), ("lowest_ns", _c.c_uint64), ("highest_ns", _c.c_uint64),
                ("significant_digits", _c.c_int), ("max_metrics", _sz),
                ("prom_buckets", _c.POINTER(_c.c_double)), ("prom_bucket_count", _sz)]


class TimerStatsC(_c.Structure):
    """core_timer_stats_t."""
    _fields_ = [("struct_size", _sz), ("count", _c.c_uint64), ("sum_ns", _c.c_uint64),
                ("min_ns", _c.c_uint64), ("max_ns", _c.c_uint64), ("mean_ns", _c.c_double),
                ("stddev_ns", _c.c_double), ("underflows", _c.c_uint64),
                ("overflows", _c.c_uint64)]


class Label(_c.Structure):
    """core_metric_label_t."""
    _fields_ = [("name", _c.c_char_p), ("value", _c.c_char_p)]


_idp = _c.POINTER(_u32)
declare("core_now_ns", _c.c_uint64, [])
declare("core_metrics_options_init", _c.c_int, [_c.POINTER(MetricsOptions)])
declare("core_metrics_create", _c.c_int, [_c.POINTER(MetricsOptions), _c.POINTER(_vp)])
declare("core_metrics_destroy", None, [_vp])
for _kind in ("timer", "counter", "gauge"):
    declare(f"core_metrics_{_kind}", _c.c_int,
            [_vp, _c.c_char_p, _c.c_char_p, _c.POINTER(Label), _sz, _idp])
declare("core_metrics_count", _sz, [_vp])
declare("core_metrics_record_ns", _c.c_int, [_vp, _u32, _c.c_int64])
declare("core_metrics_start", _c.c_uint64, [])
declare("core_metrics_stop", _c.c_int, [_vp, _u32, _c.c_uint64])
declare("core_metrics_counter_add", _c.c_int, [_vp, _u32, _c.c_uint64])
declare("core_metrics_gauge_set", _c.c_int, [_vp, _u32, _c.c_double])
declare("core_metrics_gauge_add", _c.c_int, [_vp, _u32, _c.c_double])
declare("core_metrics_counter_get", _c.c_int, [_vp, _u32, _c.POINTER(_c.c_uint64)])
declare("core_metrics_gauge_get", _c.c_int, [_vp, _u32, _c.POINTER(_c.c_double)])
declare("core_metrics_timer_stats", _c.c_int, [_vp, _u32, _c.POINTER(TimerStatsC)])
declare("core_metrics_percentile", _c.c_int, [_vp, _u32, _c.c_double, _c.POINTER(_c.c_uint64)])
declare("core_metrics_merge", _c.c_int, [_vp, _vp])
declare("core_metrics_export", _c.c_int, [_vp, _c.c_int, _c.c_uint, _c.c_char_p, _sz,
                                          _c.POINTER(_sz)])

# The hot calls, bound through ctypes.PyDLL on first use (_bind_hot), raw
# (no argtypes): the registry handle goes as a c_void_p instance (Metrics._hc,
# None once closed: NULL, which libcore refuses cleanly), the id as a small
# int (uint32_t, ids < 65536), the 64-bit values as c_uint64 / c_int64 /
# c_double instances. That halves ctypes' cost per call (measured: ~0.26 us
# against ~0.53 us with argtypes), the whole cost of a recording.
_stop = _record = _cadd = _gset = _gadd = None
_perf_ns = _time.perf_counter_ns
_u64 = _c.c_uint64
_i64 = _c.c_int64
_dbl = _c.c_double


def _bind_hot():
    """Binds the recording calls (lock-free, never block: the GIL may stay
    held) and picks the clock of `with m.time()`."""
    global _stop, _record, _cadd, _gset, _gadd, _perf_ns
    if _stop is not None:
        return
    lib = native("Metrics")
    # `with m.time()` reads the start with time.perf_counter_ns() (no C
    # call) when it is the clock core_metrics_stop reads (CLOCK_MONOTONIC,
    # Linux's perf_counter): checked, else core_metrics_start is called.
    impl = _time.get_clock_info("perf_counter").implementation
    a = lib.core_now_ns()
    b = _time.perf_counter_ns()
    c = lib.core_now_ns()
    if not ("CLOCK_MONOTONIC" in impl and "RAW" not in impl and a <= b <= c):
        _perf_ns = _native.fast("core_metrics_start")
    _record = _native.fast("core_metrics_record_ns", raw=True)
    _cadd = _native.fast("core_metrics_counter_add", raw=True)
    _gset = _native.fast("core_metrics_gauge_set", raw=True)
    _gadd = _native.fast("core_metrics_gauge_add", raw=True)
    _stop = _native.fast("core_metrics_stop", raw=True)


@dataclasses.dataclass(frozen=True)
class TimerStats:
    """A timer's summary (core_timer_stats_t), times in nanoseconds: count,
    sum_ns (exact), min_ns, max_ns (exact), mean_ns, stddev_ns (from bucket
    midpoints), underflows (negative values recorded as 0) and overflows
    (values above highest_ns, recorded as highest_ns)."""
    count: int
    sum_ns: int
    min_ns: int
    max_ns: int
    mean_ns: float
    stddev_ns: float
    underflows: int
    overflows: int


class _Timing:
    """What ``with m.time(name)`` / ``with timer.time()`` enters: one per
    use (so threads and nesting never mix their start times)."""
    __slots__ = ("_reg", "_id", "_t0")

    def __enter__(self):
        self._t0 = _u64(_perf_ns())
        return self

    def __exit__(self, et, ev, tb):
        # core_metrics_stop reads CLOCK_MONOTONIC itself and records
        # now - t0: one C call. A closed registry gives NULL -> an error.
        st = _stop(self._reg._hc, self._id, self._t0)
        if st:
            self._reg._failed("Metrics.time", st)
        return False


_new_timing = object.__new__


class _Metric:
    __slots__ = ("_reg", "_id", "name", "labels")

    def __init__(self, reg, mid, name, labels):
        self._reg = reg
        self._id = mid
        self.name = name
        self.labels = labels

    def __eq__(self, other):
        return type(other) is type(self) and other._reg is self._reg and other._id == self._id

    def __hash__(self):
        return hash((id(self._reg), self._id))

    def __repr__(self):
        lab = f", labels={self.labels}" if self.labels else ""
        return f"{type(self).__name__}({self.name!r}{lab})"


class Timer(_Metric):
    """A latency histogram in nanoseconds (metrics.h conventions 5 and 6).
    Get one with Metrics.timer(name); record with record_ns() or
    ``with timer.time():``."""
    __slots__ = ()

    def record_ns(self, ns):
        """Records ns (an int; negative values count as underflows and
        record 0, values above highest_ns as overflows). ValueError after
        the registry is closed."""
        if not -0x8000000000000000 <= ns <= 0x7FFFFFFFFFFFFFFF:
            raise OverflowError(f"Timer.record_ns: {ns} does not fit int64")
        st = _record(self._reg._hc, self._id, _i64(ns))
        if st:
            self._reg._failed("Timer.record_ns", st)

    def time(self):
        """A context manager that records the time spent in its block."""
        t = _new_timing(_Timing)
        t._reg = self._reg
        t._id = self._id
        return t

    def stats(self):
        """TimerStats of what was recorded so far."""
        s = TimerStatsC()
        s.struct_size = _c.sizeof(TimerStatsC)
        h = self._reg._handle("Timer.stats")
        check(self._reg._lib.core_metrics_timer_stats(h, self._id, _c.byref(s)))
        return TimerStats(s.count, s.sum_ns, s.min_ns, s.max_ns, s.mean_ns, s.stddev_ns,
                          s.underflows, s.overflows)

    @property
    def count(self):
        """Values recorded."""
        return self.stats().count

    def percentile(self, q):
        """The nearest-rank percentile q in [0, 1], in ns, within the
        histogram's precision (q=0: min, q=1: max, exactly). LibcoreError
        CORE_E_EMPTY when nothing was recorded, CORE_E_INVALID_ARGUMENT for
        q outside [0, 1] or NaN."""
        v = _c.c_uint64()
        h = self._reg._handle("Timer.percentile")
        check(self._reg._lib.core_metrics_percentile(h, self._id, float(q), _c.byref(v)))
        return v.value

    def percentiles(self, qs=(0.5, 0.9, 0.99)):
        """{q: ns} for each q (see percentile)."""
        return {q: self.percentile(q) for q in qs}


class Counter(_Metric):
    """A monotonic counter (exported with the _total suffix)."""
    __slots__ = ()

    def inc(self, n=1):
        """Adds n (an int, 0 <= n < 2**63; ValueError otherwise)."""
        if not 0 <= n < 0x8000000000000000:
            raise ValueError(f"Counter.inc: n = {n} is outside 0 .. 2**63 - 1 "
                             "(counters only go up)")
        st = _cadd(self._reg._hc, self._id, _u64(n))
        if st:
            self._reg._failed("Counter.inc", st)

    @property
    def value(self):
        """The counter's value now."""
        v = _c.c_uint64()
        h = self._reg._handle("Counter.value")
        check(self._reg._lib.core_metrics_counter_get(h, self._id, _c.byref(v)))
        return v.value


class Gauge(_Metric):
    """A value that goes up and down."""
    __slots__ = ()

    def set(self, value):
        """Sets the gauge (a finite number; LibcoreError for NaN or inf)."""
        st = _gset(self._reg._hc, self._id, _dbl(value))
        if st:
            self._reg._failed("Gauge.set", st)

    def add(self, delta):
        """Adds delta (finite) to the gauge."""
        st = _gadd(self._reg._hc, self._id, _dbl(delta))
        if st:
            self._reg._failed("Gauge.add", st)

    @property
    def value(self):
        """The gauge's value now."""
        v = _c.c_double()
        h = self._reg._handle("Gauge.value")
        check(self._reg._lib.core_metrics_gauge_get(h, self._id, _c.byref(v)))
        return v.value


def _labels_arg(labels):
    """(key for the Python-side cache, ctypes array or None, count)."""
    if not labels:
        return (), None, 0
    items = tuple(sorted((str(k), str(v)) for k, v in dict(labels).items()))
    arr = (Label * len(items))()
    for i, (k, v) in enumerate(items):
        arr[i].name = k.encode()
        arr[i].value = v.encode()
    return items, arr, len(items)


class Metrics(Closeable):
    """A registry of named timers, counters and gauges (core_metrics_t).

    Options (keyword only; None keeps libcore's default): lowest_ns (1),
    highest_ns (1 hour), significant_digits (2: <= 1% error), max_metrics
    (1024), buckets (Prometheus le boundaries in seconds, increasing).
    Bad options raise LibcoreError (CORE_E_INVALID_ARGUMENT, message from
    core_metrics_create). Use as a context manager or call close();
    dropping the last reference also frees it.
    """

    def __init__(self, *, lowest_ns=None, highest_ns=None, significant_digits=None,
                 max_metrics=None, buckets=None):
        lib = native("Metrics")
        _bind_hot()
        self._lib = lib
        self._h = None           # the handle (int), None once closed
        self._hc = None          # the same as a c_void_p, for the raw hot calls
        self._owned = True
        self._lock = threading.Lock()
        self._users = 0          # RingBuffer / EncoderCache / Pipeline borrowing it
        self._pending = None     # handle to destroy when the last user goes
        # Ids, not objects: a Timer/Counter/Gauge holds its registry (so it
        # stays usable while referenced), the registry holds no object back
        # (no reference cycle: an unreferenced registry is freed at once).
        self._ids = {}           # (kind, name, labels) -> id
        self._timers = {}        # name -> timer id, for time()
        o = MetricsOptions()
        check(lib.core_metrics_options_init(_c.byref(o)))
        for field, v in (("lowest_ns", lowest_ns), ("highest_ns", highest_ns),
                         ("significant_digits", significant_digits),
                         ("max_metrics", max_metrics)):
            if v is not None:
                setattr(o, field, v)
        if buckets is not None:
            b = (_c.c_double * len(buckets))(*[float(v) for v in buckets])
            o.prom_buckets = _c.cast(b, _c.POINTER(_c.c_double))
            o.prom_bucket_count = len(buckets)
        h = _vp()
        check(lib.core_metrics_create(_c.byref(o), _c.byref(h)))
        self._h = h.value
        self._hc = h

    @classmethod
    def _borrowed(cls, lib, handle):
        """A view of a registry another object owns (Pipeline.metrics): it
        never destroys it; the owner calls _invalidate() before it does."""
        self = cls.__new__(cls)
        _bind_hot()
        self._lib = lib
        self._h = handle
        self._hc = _vp(handle)
        self._owned = False
        self._lock = threading.Lock()
        self._users = 0
        self._pending = None
        self._ids = {}
        self._timers = {}
        return self

    # -- life cycle ---------------------------------------------------------------

    def close(self):
        """Releases the registry (idempotent). Afterwards every method, and
        every Timer/Counter/Gauge of it, raises ValueError. Must not run
        while another thread records into it."""
        with self._lock:
            h, self._h, self._hc = self._h, None, None
            if h is None or not self._owned:
                return
            if self._users:
                self._pending = h   # a RingBuffer/EncoderCache/Pipeline still uses it
                return
        self._lib.core_metrics_destroy(h)

    def _invalidate(self):
        self._h = self._hc = None

    def _attach(self, who):
        """A RingBuffer/EncoderCache/Pipeline borrows the registry: its C
        handle, which stays valid until _detach()."""
        if not self._owned:
            raise TypeError(f"{who}: a Pipeline's own registry (Pipeline.metrics) cannot be "
                            "lent to another object; create a Metrics and pass it to both")
        with self._lock:
            if self._h is None:
                raise ValueError(f"{who}: the Metrics registry passed as metrics= is closed")
            self._users += 1
            return self._h

    def _detach(self):
        with self._lock:
            self._users -= 1
            h = self._pending
            if h is None or self._users:
                return
            self._pending = None
        self._lib.core_metrics_destroy(h)

    @property
    def closed(self):
        """True after close() (or, for Pipeline.metrics, after the pipeline's)."""
        return self._h is None

    def _handle(self, op):
        h = self._h
        if h is None:
            raise ValueError(f"{op}: the Metrics registry is closed")
        return h

    def _failed(self, op, status):
        """After a recording call returned an error status."""
        if self._h is None:
            raise ValueError(f"{op}: the Metrics registry is closed")
        raise _native.error(status)

    # -- registration ----------------------------------------------------------------

    def _register(self, kind, cls, name, help, labels):
        items, arr, n = _labels_arg(labels)
        key = (kind, name, items)
        h = self._handle(f"Metrics.{('timer', 'counter', 'gauge')[kind]}")
        mid = self._ids.get(key)
        if mid is None:
            cid = _u32()
            fn = (self._lib.core_metrics_timer, self._lib.core_metrics_counter,
                  self._lib.core_metrics_gauge)[kind]
            check(fn(h, name.encode(), None if help is None else help.encode(), arr, n,
                     _c.byref(cid)))
            mid = self._ids[key] = cid.value
        return cls(self, mid, name, dict(items))

    def timer(self, name, help=None, labels=None):
        """The Timer called name (registered on first use; later calls give
        a Timer of the same metric). labels: a dict of label name -> value. LibcoreError
        CORE_E_INVALID_ARGUMENT for a bad or colliding name (the message
        names both metrics), CORE_E_FULL past max_metrics."""
        t = self._register(KIND_TIMER, Timer, name, help, labels)
        if not labels:
            self._timers[name] = t._id
        return t

    def counter(self, name, help=None, labels=None):
        """The Counter called name (see timer)."""
        return self._register(KIND_COUNTER, Counter, name, help, labels)

    def gauge(self, name, help=None, labels=None):
        """The Gauge called name (see timer)."""
        return self._register(KIND_GAUGE, Gauge, name, help, labels)

    def time(self, name):
        """``with m.time("stage"):`` records the block's duration in the
        timer called name (registered on first use)."""
        try:
            mid = self._timers[name]
        except KeyError:
            mid = self.timer(name)._id
        tm = _new_timing(_Timing)
        tm._reg = self
        tm._id = mid
        return tm

    def __len__(self):
        """Metrics registered (every kind)."""
        return self._lib.core_metrics_count(self._handle("Metrics.__len__"))

    def merge(self, other):
        """Adds other's metrics into this registry (timers merge their
        histograms, counters and gauges add; core_metrics_merge)."""
        check(self._lib.core_metrics_merge(self._handle("Metrics.merge"),
                                           other._handle("Metrics.merge")))

    # -- export ------------------------------------------------------------------------

    def _export(self, fmt, flags, op):
        need = _sz(0)
        buf = None
        cap = 4096
        while True:
            h = self._handle(op)
            buf = _c.create_string_buffer(cap)
            st = self._lib.core_metrics_export(h, fmt, flags, buf, cap, _c.byref(need))
            if st == _E_BUFFER_TOO_SMALL:
                cap = need.value + 1024   # metrics may have grown meanwhile
                continue
            check(st)
            return buf.value.decode()

    def prometheus(self, summary=False):
        """The Prometheus text exposition (format 0.0.4) of every metric:
        timers as histograms in seconds, or as summaries with
        summary=True."""
        return self._export(PROMETHEUS, EXPORT_SUMMARY if summary else 0, "Metrics.prometheus")

    def json(self):
        """Every metric as one JSON object (a str; json.loads it)."""
        return self._export(JSON, 0, "Metrics.json")

    def text(self):
        """A fixed-width human table: timers (count, p50, p95, p99, max),
        then counters and gauges."""
        return self._export(TABLE, 0, "Metrics.text")

    def __repr__(self):
        return f"<libcore.Metrics {'closed' if self._h is None else f'{len(self)} metrics'}>"


def create_published(create, opts, metrics, prefix, what):
    """Runs a core_*_create(&opts, &out) whose options may publish into a
    Metrics registry: attaches metrics (kept open while the new object
    lives), sets the metric-name prefix, and on failure detaches again and
    raises the LibcoreError. Returns the new handle (an int)."""
    if metrics is not None:
        opts.metrics = metrics._attach(what)
        if prefix is not None:
            opts.metrics_prefix = prefix.encode()
    h = ctypes.c_void_p()
    st = create(ctypes.byref(opts), ctypes.byref(h))
    if st:
        err = _native.error(st)
        if metrics is not None:
            metrics._detach()
        raise err
    return h.value
