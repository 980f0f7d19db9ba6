package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** metrics.h through Metrics and MetricsSnapshot. */
class MetricsTest {
  private static CoreException core(Status status, Executable call) {
    CoreException e = assertThrows(CoreException.class, call);
    assertEquals(status, e.status(), e::getMessage);
    assertFalse(e.detail().isEmpty());
    return e;
  }

  private static void closed(Executable call) {
    assertThrows(IllegalStateException.class, call);
  }

  /** The value of the first sample line `series{...} value` or `series value`. */
  private static double sample(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
    assertTrue(m.find(), () -> series + " not in\n" + text);
    return Double.parseDouble(m.group(2));
  }

  private static void within(double want, double got, double rel, String what) {
    assertTrue(Math.abs(got - want) <= rel * Math.abs(want), () -> what + ": want " + want + " got " + got);
  }

  @Test
  void builderOptions() {
    try (Metrics m = Metrics.builder().lowestNanos(10).highestNanos(10_000_000_000L).significantDigits(3)
             .maxMetrics(16).prometheusBuckets(0.001, 0.01, 0.1).build()) {
      Metrics.Timer t = m.timer("t");
      t.recordNanos(5_000_000);
      String p = m.export(Metrics.Format.PROMETHEUS);
      assertTrue(p.contains("t_seconds_bucket{le=\"0.01\"} 1"), p);
      assertTrue(p.contains("t_seconds_bucket{le=\"0.001\"} 0"), p);
      assertTrue(p.contains("t_seconds_bucket{le=\"+Inf\"} 1"), p);
    }
    try (Metrics m = new Metrics()) {
      assertEquals(0, m.size());
      assertFalse(m.isClosed());
    }
  }

  @Test
  void badOptions() {
    assertThrows(IllegalArgumentException.class, () -> Metrics.builder().lowestNanos(0));
    assertThrows(IllegalArgumentException.class, () -> Metrics.builder().significantDigits(0));
    assertThrows(IllegalArgumentException.class, () -> Metrics.builder().maxMetrics(-1));
    core(Status.INVALID_ARGUMENT, () -> Metrics.builder().lowestNanos(100).highestNanos(150).build());
    core(Status.INVALID_ARGUMENT, () -> Metrics.builder().significantDigits(6).build());
    core(Status.INVALID_ARGUMENT, () -> Metrics.builder().maxMetrics(70000).build());
    core(Status.INVALID_ARGUMENT, () -> Metrics.builder().prometheusBuckets(0.1, 0.05).build());
    core(Status.INVALID_ARGUMENT, () -> Metrics.builder().prometheusBuckets(0.1, Double.NaN).build());
    core(Status.INVALID_ARGUMENT, () -> Metrics.builder().prometheusBuckets(new double[65]).build());
  }

  @Test
  void timerStats() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("stage");
      TimerStats empty = t.stats();
      assertEquals(0, empty.count());
      assertEquals(0, empty.minNanos());
      assertEquals(0.0, empty.meanNanos());
      t.recordNanos(100);
      t.recordNanos(200);
      t.recordNanos(300);
      TimerStats s = t.stats();
      assertEquals(3, s.count());
      assertEquals(600, s.sumNanos());
      assertEquals(100, s.minNanos());
      assertEquals(300, s.maxNanos());
      assertEquals(200.0, s.meanNanos(), 1e-9);
      within(Math.sqrt(20000.0 / 3), s.stddevNanos(), 0.02, "stddev");
      assertEquals(0, s.underflows());
      assertEquals(0, s.overflows());
      assertEquals(s, t.stats());
      assertTrue(s.toString().contains("count=3"));
    }
  }

  @Test
  void percentilesOnKnownData() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("uniform");
      List<Long> values = new ArrayList<>();
      for (long i = 1; i <= 10_000; ++i) {
        values.add(i * 1000);
      }
      java.util.Collections.shuffle(values, new java.util.Random(7));
      for (long v : values) {
        t.recordNanos(v);
      }
      for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
        long exact = (long) Math.ceil(q * 10_000) * 1000; // nearest rank
        within(exact, t.percentile(q), 0.01, "p" + q);
      }
      assertEquals(1000, t.percentile(0));
      assertEquals(10_000_000, t.percentile(1));
    }
  }

  @Test
  void percentileBadInput() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("t");
      core(Status.EMPTY, () -> t.percentile(0.5));
      t.recordNanos(5);
      assertThrows(IllegalArgumentException.class, () -> t.percentile(-0.1));
      assertThrows(IllegalArgumentException.class, () -> t.percentile(1.5));
      assertThrows(IllegalArgumentException.class, () -> t.percentile(Double.NaN));
      assertEquals(5, t.percentile(0.5));
    }
  }

  @Test
  void underflowsAndOverflows() {
    try (Metrics m = Metrics.builder().highestNanos(1_000_000).build()) {
      Metrics.Timer t = m.timer("t");
      t.recordNanos(-5);
      t.recordNanos(2_000_000);
      t.recordNanos(Long.MAX_VALUE);
      t.recordNanos(Long.MIN_VALUE);
      TimerStats s = t.stats();
      assertEquals(4, s.count());
      assertEquals(2, s.underflows());
      assertEquals(2, s.overflows());
      assertEquals(0, s.minNanos());
      assertEquals(1_000_000, s.maxNanos());
      assertEquals(2_000_000, s.sumNanos());
    }
  }

  @Test
  void timeRunnableAndSupplier() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("work");
      AtomicInteger ran = new AtomicInteger();
      t.time(() -> {
        ran.incrementAndGet();
        busy(200_000);
      });
      assertEquals(1, ran.get());
      Supplier<String> body = () -> {
        busy(100_000);
        return "result";
      };
      assertEquals("result", t.time(body));
      TimerStats s = t.stats();
      assertEquals(2, s.count());
      assertTrue(s.minNanos() >= 100_000, s::toString);
      assertThrows(NullPointerException.class, () -> t.time((Runnable) null));
      assertThrows(NullPointerException.class, () -> t.time((Supplier<Object>) null));
    }
  }

  private static void busy(long ns) {
    long end = System.nanoTime() + ns;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Test
  void timeRecordsAndRethrows() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("failing");
      IllegalStateException boom = new IllegalStateException("boom");
      IllegalStateException got = assertThrows(IllegalStateException.class, () -> t.time((Runnable) () -> {
        throw boom;
      }));
      assertSame(boom, got);
      assertEquals(1, t.stats().count());
      AssertionError err = new AssertionError("err");
      assertSame(err, assertThrows(AssertionError.class, () -> t.time((Supplier<Object>) () -> {
        throw err;
      })));
      assertEquals(2, t.stats().count());
    }
  }

  @Test
  void timeBodyClosingTheRegistryKeepsItsException() {
    Metrics m = new Metrics();
    Metrics.Timer t = m.timer("t");
    RuntimeException boom = new RuntimeException("boom");
    RuntimeException got = assertThrows(RuntimeException.class, () -> t.time((Runnable) () -> {
      m.close();
      throw boom;
    }));
    assertSame(boom, got);
    assertEquals(1, got.getSuppressed().length);
    assertTrue(got.getSuppressed()[0] instanceof IllegalStateException);
  }

  @Test
  void startStop() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("t");
      long start = t.start();
      busy(50_000);
      long elapsed = t.stop(start);
      assertTrue(elapsed >= 50_000);
      assertEquals(elapsed, t.stats().sumNanos());
    }
  }

  @Test
  void nowNanos() {
    long a = Metrics.nowNanos();
    long j = System.nanoTime();
    long b = Metrics.nowNanos();
    assertTrue(b >= a);
    assertTrue(Math.abs(j - a) < 1_000_000_000L, "core_now_ns and System.nanoTime share CLOCK_MONOTONIC");
  }

  @Test
  void counters() {
    try (Metrics m = new Metrics()) {
      Metrics.Counter c = m.counter("requests", "requests served");
      assertEquals(0, c.get());
      c.increment();
      c.add(41);
      c.add(0);
      assertEquals(42, c.get());
      assertThrows(IllegalArgumentException.class, () -> c.add(-1));
      assertEquals(Metrics.Kind.COUNTER, c.kind());
      assertEquals("requests", c.name());
      assertSame(m, c.registry());
    }
  }

  @Test
  void gauges() {
    try (Metrics m = new Metrics()) {
      Metrics.Gauge g = m.gauge("bytes_in_use");
      assertEquals(0.0, g.get());
      g.set(10.5);
      g.add(-0.5);
      assertEquals(10.0, g.get());
      core(Status.INVALID_ARGUMENT, () -> g.set(Double.NaN));
      core(Status.INVALID_ARGUMENT, () -> g.add(Double.POSITIVE_INFINITY));
      assertEquals(10.0, g.get());
    }
  }

  @Test
  void registrationIdsAndFind() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer a = m.timer("a");
      Metrics.Counter b = m.counter("b");
      Metrics.Gauge c = m.gauge("c");
      assertEquals(0, a.id());
      assertEquals(1, b.id());
      assertEquals(2, c.id());
      assertEquals(3, m.size());
      Metrics.Timer again = m.timer("a", "other help is ignored");
      assertEquals(a.id(), again.id());
      assertEquals(a, again);
      assertEquals(a.hashCode(), again.hashCode());
      assertEquals(3, m.size());
      assertEquals(a, m.find("a").orElseThrow());
      assertEquals(Metrics.Kind.COUNTER, m.find("b").orElseThrow().kind());
      assertEquals(Metrics.Kind.GAUGE, m.find("c").orElseThrow().kind());
      assertTrue(m.find("nope").isEmpty());
      assertTrue(a.toString().contains("a"));
    }
  }

  @Test
  void collisionsAndBadNames() {
    try (Metrics m = new Metrics()) {
      m.timer("lid.encoder_forward");
      CoreException e = core(Status.INVALID_ARGUMENT, () -> m.timer("lid_encoder_forward"));
      assertTrue(e.detail().contains("lid.encoder_forward"), e::getMessage);
      core(Status.INVALID_ARGUMENT, () -> m.counter("lid.encoder_forward"));
      core(Status.INVALID_ARGUMENT, () -> m.gauge("lid.encoder_forward_seconds"));
      core(Status.INVALID_ARGUMENT, () -> m.timer(""));
      core(Status.INVALID_ARGUMENT, () -> m.timer("..."));
      core(Status.INVALID_ARGUMENT, () -> m.timer("x".repeat(Metrics.MAX_NAME + 1)));
      assertThrows(IllegalArgumentException.class, () -> m.timer("a\0b"));
      assertEquals(1, m.size());
    }
  }

  @Test
  void labels() {
    try (Metrics m = new Metrics()) {
      Map<String, String> l = new LinkedHashMap<>();
      l.put("model", "lid");
      l.put("device", "cpu \"0\"\\\n");
      Metrics.Timer t1 = m.timer("fwd", "forward", l);
      Metrics.Timer t2 = m.timer("fwd", null, "device", "cpu \"0\"\\\n", "model", "lid");
      assertEquals(t1.id(), t2.id());
      Metrics.Timer t3 = m.timer("fwd", null, "model", "other");
      assertNotEquals(t1.id(), t3.id());
      t1.recordNanos(1000);
      String p = m.export(Metrics.Format.PROMETHEUS);
      assertTrue(p.contains("device=\"cpu \\\"0\\\"\\\\\\n\""), p);
      assertTrue(p.contains("model=\"lid\""), p);
      assertThrows(IllegalArgumentException.class, () -> m.timer("x", null, "odd"));
      assertThrows(IllegalArgumentException.class, () -> m.timer("x", null, "k", "v", "k", "w"));
      String[] nine = new String[18];
      for (int i = 0; i < 9; ++i) {
        nine[2 * i] = "k" + i;
        nine[2 * i + 1] = "v";
      }
      assertThrows(IllegalArgumentException.class, () -> m.timer("x", null, nine));
      core(Status.INVALID_ARGUMENT, () -> m.timer("x", null, "le", "1"));
      core(Status.INVALID_ARGUMENT, () -> m.timer("x", null, "quantile", "1"));
      core(Status.INVALID_ARGUMENT, () -> m.timer("x", null, "__x", "1"));
      core(Status.INVALID_ARGUMENT, () -> m.timer("x", null, "bad-name", "1"));
      core(Status.INVALID_ARGUMENT, () -> m.counter("fwd", null, "model", "x")); // another kind, same family
    }
  }

  @Test
  void nullArguments() {
    try (Metrics m = new Metrics()) {
      assertThrows(NullPointerException.class, () -> m.timer(null));
      assertThrows(NullPointerException.class, () -> m.counter(null, "h"));
      assertThrows(NullPointerException.class, () -> m.gauge("g", null, (Map<String, String>) null));
      assertThrows(NullPointerException.class, () -> m.timer("t", null, (String[]) null));
      assertThrows(NullPointerException.class, () -> m.timer("t", null, "k", null));
      Map<String, String> nullValue = new LinkedHashMap<>();
      nullValue.put("k", null);
      assertThrows(NullPointerException.class, () -> m.timer("t", null, nullValue));
      assertThrows(NullPointerException.class, () -> m.find(null));
      assertThrows(NullPointerException.class, () -> m.export(null));
      assertThrows(NullPointerException.class, () -> m.merge((Metrics) null));
      assertThrows(NullPointerException.class, () -> m.merge((MetricsSnapshot) null));
      try (MetricsSnapshot s = m.snapshot()) {
        assertThrows(NullPointerException.class, () -> s.stats((Metrics.Timer) null));
        assertThrows(NullPointerException.class, () -> s.stats((String) null));
        assertThrows(NullPointerException.class, () -> s.merge((MetricsSnapshot) null));
        assertThrows(NullPointerException.class, () -> s.export(null));
      }
      assertEquals(0, m.size());
    }
  }

  @Test
  void full() {
    try (Metrics m = Metrics.builder().maxMetrics(2).build()) {
      m.timer("a");
      m.counter("b");
      core(Status.FULL, () -> m.gauge("c"));
      m.timer("a"); // existing: no room needed
    }
  }

  @Test
  void concurrentRecording() throws Exception {
    final int threads = 4;
    final int perThread = 100_000;
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("shared");
      Metrics.Counter c = m.counter("calls");
      Metrics.Gauge g = m.gauge("level");
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Thread> list = new ArrayList<>();
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int k = 0; k < threads; ++k) {
        final long base = k * 1000L;
        Thread th = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < perThread; ++i) {
              t.recordNanos(base + (i % 1000) + 1);
              c.increment();
              g.add(1);
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        list.add(th);
        th.start();
      }
      for (Thread th : list) {
        th.join();
      }
      assertTrue(errors.isEmpty(), errors::toString);
      TimerStats s = t.stats();
      assertEquals((long) threads * perThread, s.count());
      long wantSum = 0;
      for (int k = 0; k < threads; ++k) {
        wantSum += (long) perThread / 1000 * (1000L * (k * 1000L) + 500_500L);
      }
      assertEquals(wantSum, s.sumNanos());
      assertEquals(1, s.minNanos());
      assertEquals(3000 + 1000, s.maxNanos());
      assertEquals((long) threads * perThread, c.get());
      assertEquals((double) threads * perThread, g.get());
    }
  }

  @Test
  void prometheusExport() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer fwd = m.timer("lid.encoder_forward", "encoder forward pass");
      Metrics.Counter req = m.counter("requests");
      Metrics.Gauge mem = m.gauge("mem.bytes");
      for (int i = 1; i <= 7; ++i) {
        fwd.recordNanos(i * 1_000_000L); // 1..7 ms
      }
      req.add(5);
      mem.set(2.5);
      String p = m.export(Metrics.Format.PROMETHEUS);
      assertTrue(p.contains("# HELP lid_encoder_forward_seconds encoder forward pass\n"), p);
      assertTrue(p.contains("# TYPE lid_encoder_forward_seconds histogram\n"), p);
      assertEquals(7, sample(p, "lid_encoder_forward_seconds_count"));
      within(0.028, sample(p, "lid_encoder_forward_seconds_sum"), 1e-9, "sum in seconds");
      assertEquals(7, Double.parseDouble(
          p.replaceAll("(?s).*lid_encoder_forward_seconds_bucket\\{le=\"\\+Inf\"\\} (\\S+)\n.*", "$1")));
      assertTrue(p.contains("# TYPE requests_total counter\n"), p);
      assertEquals(5, sample(p, "requests_total"));
      assertTrue(p.contains("# TYPE mem_bytes gauge\n"), p);
      assertEquals(2.5, sample(p, "mem_bytes"));
      // cumulative buckets never decrease
      Matcher b = Pattern.compile("lid_encoder_forward_seconds_bucket\\{le=\"[^\"]+\"\\} (\\d+)").matcher(p);
      long last = -1;
      int n = 0;
      while (b.find()) {
        long v = Long.parseLong(b.group(1));
        assertTrue(v >= last);
        last = v;
        ++n;
      }
      assertTrue(n > 2);
      assertEquals(7, last);

      String summary = m.export(Metrics.Format.PROMETHEUS, true);
      assertTrue(summary.contains("# TYPE lid_encoder_forward_seconds summary\n"), summary);
      assertTrue(summary.contains("lid_encoder_forward_seconds{quantile=\"0.99\"}"), summary);
      assertEquals(7, sample(summary, "lid_encoder_forward_seconds_count"));
      assertFalse(summary.contains("_bucket"));
      assertThrows(IllegalArgumentException.class, () -> m.export(Metrics.Format.JSON, true));
    }
  }

  @Test
  void jsonAndTableExport() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("lid.encoder_forward", null, "model", "lid");
      for (int i = 0; i < 12; ++i) {
        t.recordNanos(1500);
      }
      m.counter("requests").add(3);
      String j = m.export(Metrics.Format.JSON);
      assertTrue(j.startsWith("{") && j.trim().endsWith("}"), j);
      assertTrue(j.contains("\"timers\"") && j.contains("\"counters\"") && j.contains("\"gauges\""), j);
      assertTrue(j.contains("\"lid.encoder_forward\""), j);
      assertTrue(j.contains("\"lid_encoder_forward_seconds\""), j);
      Matcher c = Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(j);
      assertTrue(c.find(), j);
      assertEquals(12, Long.parseLong(c.group(1)));
      String table = m.export(Metrics.Format.TABLE);
      assertTrue(table.contains("lid.encoder_forward") || table.contains("lid_encoder_forward"), table);
      assertTrue(table.contains("12"), table);
      assertTrue(table.contains("requests"), table);
    }
  }

  @Test
  void exportGrowsWithManyMetrics() {
    try (Metrics m = new Metrics()) {
      for (int i = 0; i < 200; ++i) {
        m.timer("stage." + i, "help text for stage " + i).recordNanos(i + 1);
      }
      String p = m.export(Metrics.Format.PROMETHEUS);
      for (int i = 0; i < 200; i += 37) {
        assertEquals(1, sample(p, "stage_" + i + "_seconds_count"));
      }
      assertTrue(p.length() > 100_000, "a large export: " + p.length());
    }
  }

  @Test
  void snapshots() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("t");
      Metrics.Counter c = m.counter("c");
      Metrics.Gauge g = m.gauge("g");
      t.recordNanos(1000);
      t.recordNanos(3000);
      c.add(7);
      g.set(1.5);
      try (MetricsSnapshot s = m.snapshot()) {
        t.recordNanos(5000); // not in s
        assertEquals(3, s.size());
        assertEquals(2, s.stats(t).count());
        assertEquals(2, s.stats("t").count());
        assertEquals(s.stats(t), s.stats(t.id()));
        assertEquals(3000, s.percentile(t, 1));
        assertEquals(1000, s.percentile("t", 0));
        assertEquals(7, s.counter(c));
        assertEquals(7, s.counter("c"));
        assertEquals(1.5, s.gauge(g));
        assertEquals(1.5, s.gauge("g"));
        assertEquals(1, s.find("c").getAsInt());
        assertEquals(Metrics.Kind.GAUGE, s.kind("g").orElseThrow());
        assertTrue(s.find("zz").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> s.stats("zz"));
        assertEquals(2, sample(s.export(Metrics.Format.PROMETHEUS), "t_seconds_count"));
        assertTrue(s.export(Metrics.Format.PROMETHEUS, true).contains("quantile"));
        assertTrue(s.export(Metrics.Format.JSON).contains("\"t\""));
        assertTrue(s.export(Metrics.Format.TABLE).contains("c"));
        core(Status.INVALID_ARGUMENT, () -> s.stats(999));
        core(Status.INVALID_ARGUMENT, () -> s.stats(c.id())); // a counter's id
        core(Status.INVALID_ARGUMENT, () -> s.counter(-1));
        core(Status.INVALID_ARGUMENT, () -> s.gauge(t.id()));
        core(Status.INVALID_ARGUMENT, () -> s.percentile(c.id(), 0.5));
      }
      assertEquals(3, t.stats().count());
      try (MetricsSnapshot interval = m.snapshotAndReset()) {
        assertEquals(3, interval.stats(t).count());
        assertEquals(7, interval.counter(c));
      }
      assertEquals(0, t.stats().count());
      assertEquals(7, c.get()); // counters are not reset
      try (MetricsSnapshot empty = m.snapshot()) {
        core(Status.EMPTY, () -> empty.percentile(t, 0.5));
      }
    }
  }

  @Test
  void registryUnknownIdsOfOtherKind() {
    try (Metrics a = new Metrics(); Metrics b = new Metrics()) {
      a.counter("c");
      Metrics.Timer onB = b.timer("t");
      a.timer("x");
      // a handle of another registry whose id is a counter here is refused by libcore
      try (MetricsSnapshot s = a.snapshot()) {
        core(Status.INVALID_ARGUMENT, () -> s.stats(onB));
      }
    }
  }

  @Test
  void merges() {
    try (Metrics a = new Metrics(); Metrics b = new Metrics()) {
      Metrics.Timer ta = a.timer("t");
      Metrics.Timer tb = b.timer("t");
      for (int i = 1; i <= 10; ++i) {
        ta.recordNanos(i * 100);
      }
      for (int i = 1; i <= 5; ++i) {
        tb.recordNanos(i * 10_000);
      }
      b.counter("only_b").add(4);
      b.gauge("g").set(2);
      a.merge(b);
      TimerStats s = ta.stats();
      assertEquals(15, s.count());
      assertEquals(100, s.minNanos());
      assertEquals(50_000, s.maxNanos());
      Metrics.Metric onlyB = a.find("only_b").orElseThrow();
      assertEquals(4, ((Metrics.Counter) onlyB).get());
      assertEquals(5, tb.stats().count()); // src unchanged

      try (MetricsSnapshot sb = b.snapshot()) {
        a.merge(sb);
        assertEquals(20, ta.stats().count());
        assertEquals(4.0, ((Metrics.Gauge) a.find("g").orElseThrow()).get());
        try (MetricsSnapshot sa = a.snapshot()) {
          sa.merge(sb);
          assertEquals(25, sa.stats("t").count());
          sa.merge(b);
          assertEquals(30, sa.stats("t").count());
          assertEquals(16, sa.counter("only_b")); // 4 + 4 into a, then + 4 + 4
          core(Status.INVALID_ARGUMENT, () -> sa.merge(sa));
        }
      }
      core(Status.INVALID_ARGUMENT, () -> a.merge(a));
      try (Metrics c = new Metrics()) {
        c.counter("t"); // another kind
        core(Status.INVALID_ARGUMENT, () -> a.merge(c));
        assertEquals(20, ta.stats().count()); // unchanged
      }
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseThrows() {
    Metrics m = new Metrics();
    Metrics.Timer t = m.timer("t");
    Metrics.Counter c = m.counter("c");
    Metrics.Gauge g = m.gauge("g");
    t.recordNanos(10);
    MetricsSnapshot s = m.snapshot();
    Metrics other = new Metrics();
    m.close();
    m.close();
    assertTrue(m.isClosed());
    assertEquals("Metrics{closed}", m.toString());
    closed(() -> t.recordNanos(1));
    closed(() -> t.time(() -> {}));
    closed(() -> t.time(() -> "x"));
    closed(() -> t.stop(t.start()));
    closed(t::stats);
    closed(() -> t.percentile(0.5));
    closed(() -> c.add(1));
    closed(c::increment);
    closed(c::get);
    closed(() -> g.set(1));
    closed(() -> g.add(1));
    closed(g::get);
    closed(() -> m.timer("x"));
    closed(() -> m.counter("x"));
    closed(() -> m.gauge("x"));
    closed(m::size);
    closed(() -> m.find("t"));
    closed(m::snapshot);
    closed(m::snapshotAndReset);
    closed(() -> m.export(Metrics.Format.PROMETHEUS));
    closed(() -> m.merge(other));
    closed(() -> other.merge(m));
    closed(() -> m.merge(s));
    closed(() -> s.merge(m));
    // the snapshot outlives its registry
    assertEquals(1, s.stats(t).count());
    s.close();
    s.close();
    assertTrue(s.isClosed());
    closed(s::size);
    closed(() -> s.stats(t));
    closed(() -> s.percentile(t, 0.5));
    closed(() -> s.counter(c));
    closed(() -> s.gauge(g));
    closed(() -> s.find("t"));
    closed(() -> s.export(Metrics.Format.JSON));
    closed(() -> other.merge(s));
    try (MetricsSnapshot o = other.snapshot()) {
      closed(() -> o.merge(s));
      closed(() -> s.merge(o));
    }
    other.close();
  }

  @Test
  void closeWaitsForGuardedCalls() throws Exception {
    for (int round = 0; round < 20; ++round) {
      Metrics m = new Metrics();
      for (int i = 0; i < 50; ++i) {
        m.timer("t" + i).recordNanos(i + 1);
      }
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread exporter = new Thread(() -> {
        try {
          while (true) {
            m.export(Metrics.Format.PROMETHEUS);
            m.snapshot().close();
          }
        } catch (IllegalStateException expected) {
          // closed
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      exporter.start();
      Thread.sleep(2);
      m.close();
      exporter.join();
      assertTrue(errors.isEmpty(), errors::toString);
    }
  }

  @Test
  void unicodeNamesRoundTrip() {
    try (Metrics m = new Metrics()) {
      Metrics.Timer t = m.timer("latência.ñ", "ajuda ü", "lang", "português");
      t.recordNanos(1);
      assertEquals(t, m.find("latência.ñ").orElseThrow());
      String j = m.export(Metrics.Format.JSON);
      assertTrue(j.contains("latência.ñ") || j.contains("\\u00ea"), j);
      String p = m.export(Metrics.Format.PROMETHEUS);
      assertTrue(p.contains("lang=\"português\""), p);
      assertTrue(Arrays.asList(p.split("\n")).stream().anyMatch(l -> l.matches("lat_+ncia_+seconds_count\\{.*")), p);
    }
  }
}
