"""libcore.Metrics against the metrics.h contract: counters, gauges, timers
(exact count/sum/min/max, percentiles within the histogram's precision),
`with m.time()` (one value per block, exceptions propagate, threads), the
Prometheus text parsed line by line and checked (families, cumulative
buckets, +Inf = _count, _sum, labels, summaries), JSON and table export,
name and option errors (status names, messages starting with the C
function), use after close, a registry lent to a ring, and the ctypes
mirrors of core_metrics_options_t / core_timer_stats_t.

Runs under both backends; under the NumPy fallback only
test_unavailable_under_numpy runs (the others are reported as skipped).
"""

import ctypes
import json
import math
import re
import threading
import time
import weakref

import numpy as np
import pytest

import libcore
from libcore import LibcoreError, LibcoreUnavailable

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="NumPy backend: Metrics raises "
                                 "LibcoreUnavailable (test_unavailable_under_numpy)")


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    with pytest.raises(LibcoreUnavailable, match="Metrics needs the native libcore"):
        libcore.Metrics()


def assert_error(excinfo, name, function):
    e = excinfo.value
    assert e.name == name, str(e)
    assert e.message.startswith(function + ":"), e.message


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_prometheus(text):
    """{family: {"type": str, "help": str, "samples": [(name, labels, value)]}},
    checking the exposition format as it goes (every sample belongs to the
    family declared above it, every family has HELP and TYPE)."""
    fams = {}
    current = None
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            name, _, help_ = line[7:].partition(" ")
            current = fams.setdefault(name, {"samples": []})
            current["help"] = help_
        elif line.startswith("# TYPE "):
            name, _, typ = line[7:].partition(" ")
            assert name in fams, f"TYPE before HELP: {line}"
            fams[name]["type"] = typ
            assert typ in ("counter", "gauge", "histogram", "summary"), line
        else:
            m = _SAMPLE.match(line)
            assert m, f"not a sample line: {line!r}"
            name, labels, value = m.group(1), dict(_LABEL.findall(m.group(3) or "")), m.group(4)
            fam = [f for f in fams if name == f or (name.startswith(f + "_") and
                   name[len(f) + 1:] in ("bucket", "sum", "count"))]
            assert fam, f"sample of an undeclared family: {line}"
            fams[max(fam, key=len)]["samples"].append((name, labels, float(value)))
    for name, f in fams.items():
        assert "type" in f and "help" in f, name
    return fams


@native_only
def test_structs_match_c():
    from libcore.metrics import MetricsOptions, TimerStatsC
    lib = libcore._native.library()
    o = MetricsOptions()
    assert lib.core_metrics_options_init(ctypes.byref(o)) == 0
    assert o.struct_size == ctypes.sizeof(MetricsOptions)
    assert (o.lowest_ns, o.highest_ns, o.significant_digits, o.max_metrics) == \
        (1, 3_600_000_000_000, 2, 1024)
    # core_timer_stats_t: the library fills struct_size bytes and accepts
    # exactly our size (the 0.1 layout); one byte less is refused.
    with libcore.Metrics() as m:
        t = m.timer("t")
        t.record_ns(5)
        s = TimerStatsC()
        s.struct_size = ctypes.sizeof(TimerStatsC) - 1
        assert lib.core_metrics_timer_stats(m._h, t._id, ctypes.byref(s)) == 1
        assert t.stats().overflows == 0 and t.stats().count == 1


@native_only
def test_counter_and_gauge():
    with libcore.Metrics() as m:
        c = m.counter("requests", help="requests served")
        c.inc()
        c.inc(41)
        assert c.value == 42
        assert m.counter("requests") == c               # the same metric (id cached)
        g = m.gauge("queue_depth")
        g.set(3.5)
        g.add(-1.25)
        assert g.value == 2.25
        with pytest.raises(ValueError):
            c.inc(-1)
        with pytest.raises(LibcoreError) as ei:
            g.set(float("nan"))
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_metrics_gauge_set")
        assert len(m) == 2


@native_only
def test_timer_statistics_and_percentiles():
    values = np.random.default_rng(1).integers(1_000, 5_000_000, 5000)
    with libcore.Metrics() as m:
        t = m.timer("stage")
        for v in values:
            t.record_ns(int(v))
        s = t.stats()
        assert s.count == 5000 and t.count == 5000
        assert s.sum_ns == int(values.sum())
        assert (s.min_ns, s.max_ns) == (values.min(), values.max())
        assert s.mean_ns == pytest.approx(values.mean())
        assert s.stddev_ns == pytest.approx(values.std(), rel=0.01)
        assert t.percentile(0) == values.min() and t.percentile(1) == values.max()
        srt = np.sort(values)
        for q in (0.5, 0.9, 0.99):
            exact = srt[max(1, math.ceil(q * values.size)) - 1]     # nearest rank
            assert abs(t.percentile(q) - exact) <= 0.01 * exact, q
        assert set(t.percentiles()) == {0.5, 0.9, 0.99}
        t.record_ns(-5)                                 # clamped to 0, counted
        assert t.stats().underflows == 1
        with pytest.raises(LibcoreError) as ei:
            t.percentile(1.5)
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_metrics_percentile")
        with pytest.raises(LibcoreError) as ei:
            m.timer("empty").percentile(0.5)
        assert ei.value.name == "CORE_E_EMPTY"


@native_only
def test_time_context_manager():
    with libcore.Metrics() as m:
        for _ in range(10):
            with m.time("block"):
                time.sleep(0.001)
        s = m.timer("block").stats()
        assert s.count == 10
        assert s.min_ns >= 1_000_000                     # at least the sleep
        with pytest.raises(KeyError):
            with m.time("block"):
                raise KeyError("inside")                 # propagates, still timed
        assert m.timer("block").count == 11
        t = m.timer("other")
        with t.time() as tm:
            with m.time("other"):                        # nesting the same name
                pass
        assert tm is not None and t.count == 2


@native_only
def test_time_from_threads():
    with libcore.Metrics() as m:
        def work():
            for _ in range(1000):
                with m.time("shared"):
                    pass
                m.counter("n").inc()
        threads = [threading.Thread(target=work) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert m.timer("shared").count == 4000
        assert m.counter("n").value == 4000


@native_only
def test_prometheus_text_parsed():
    with libcore.Metrics(buckets=[1e-6, 1e-3, 1.0]) as m:
        t = m.timer("lid.encoder_forward", help="encoder time")
        recorded = [500, 2_000, 900_000, 5_000_000, 2_000_000_000]   # ns
        for v in recorded:
            t.record_ns(v)
        m.counter("requests", labels={"route": "/v1", "code": "200"}).inc(3)
        m.counter("requests", labels={"route": "/v2", "code": "500"}).inc(1)
        m.gauge("temp").set(-2.5)
        fams = parse_prometheus(m.prometheus())

    h = fams["lid_encoder_forward_seconds"]
    assert h["type"] == "histogram" and h["help"] == "encoder time"
    buckets = [(s[1]["le"], s[2]) for s in h["samples"] if s[0].endswith("_bucket")]
    assert [le for le, _ in buckets] == ["1e-06", "0.001", "1", "+Inf"]
    counts = [v for _, v in buckets]
    assert counts == sorted(counts)                       # cumulative
    assert counts == [1, 3, 4, 5]
    total = {s[0]: s[2] for s in h["samples"] if not s[0].endswith("_bucket")}
    assert total["lid_encoder_forward_seconds_count"] == 5 == counts[-1]
    assert total["lid_encoder_forward_seconds_sum"] == pytest.approx(sum(recorded) / 1e9)

    c = fams["requests_total"]
    assert c["type"] == "counter"
    got = {(s[1]["route"], s[1]["code"]): s[2] for s in c["samples"]}
    assert got == {("/v1", "200"): 3, ("/v2", "500"): 1}
    assert fams["temp"]["type"] == "gauge" and fams["temp"]["samples"][0][2] == -2.5


@native_only
def test_prometheus_summary_json_and_table():
    with libcore.Metrics() as m:
        t = m.timer("stage")
        for v in range(1, 1001):
            t.record_ns(v * 1000)
        fams = parse_prometheus(m.prometheus(summary=True))
        s = fams["stage_seconds"]
        assert s["type"] == "summary"
        qs = {x[1]["quantile"]: x[2] for x in s["samples"] if "quantile" in x[1]}
        assert set(qs) == {"0.5", "0.9", "0.95", "0.99", "0.999"}
        assert qs["0.5"] == pytest.approx(500e-6, rel=0.01)
        doc = json.loads(m.json())
        (timer,) = doc["timers"]
        assert timer["name"] == "stage" and timer["count"] == 1000
        table = m.text()
        assert "stage" in table and "1000" in table


@native_only
def test_name_and_option_errors():
    with libcore.Metrics(max_metrics=2) as m:
        with pytest.raises(LibcoreError) as ei:
            m.timer("")
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_metrics_timer")
        m.counter("x")
        with pytest.raises(LibcoreError) as ei:
            m.gauge("x")                                  # another kind
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_metrics_gauge")
        m.timer("y")
        with pytest.raises(LibcoreError) as ei:
            m.timer("z")
        assert_error(ei, "CORE_E_FULL", "core_metrics_timer")
    for bad in ({"significant_digits": 9}, {"lowest_ns": 0}, {"max_metrics": 0},
                {"buckets": [1.0, 0.5]}):
        with pytest.raises(LibcoreError) as ei:
            libcore.Metrics(**bad)
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_metrics_create")


@native_only
def test_merge():
    with libcore.Metrics() as a, libcore.Metrics() as b:
        a.counter("n").inc(2)
        b.counter("n").inc(3)
        b.timer("t").record_ns(10)
        a.merge(b)
        assert a.counter("n").value == 5 and a.timer("t").count == 1


@native_only
def test_freed_when_unreferenced_and_kept_alive_by_its_metrics():
    m = libcore.Metrics()
    with m.time("t"):
        pass
    ref = weakref.ref(m)
    t = m.timer("t")
    del m                                  # t holds the registry: still usable
    assert ref() is not None
    t.record_ns(5)
    assert t.count == 2
    del t                                  # no reference cycle: freed at once
    assert ref() is None


@native_only
def test_use_after_close_raises():
    m = libcore.Metrics()
    t, c, g = m.timer("t"), m.counter("c"), m.gauge("g")
    m.close()
    m.close()
    for call in (lambda: t.record_ns(1), lambda: c.inc(), lambda: g.set(1.0),
                 lambda: g.add(1.0), lambda: t.stats(), lambda: c.value, lambda: g.value,
                 lambda: m.prometheus(), lambda: m.timer("u"), lambda: len(m)):
        with pytest.raises(ValueError, match="closed"):
            call()
    with pytest.raises(ValueError, match="closed"):
        with m.time("t"):
            pass
    with pytest.raises(ValueError, match="closed"):
        libcore.RingBuffer(4, metrics=m)
