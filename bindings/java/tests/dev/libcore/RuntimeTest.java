package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** core.h: version, status names, CoreException, threads (test_runtime.c). */
class RuntimeTest {
  @Test
  void versionMatchesTheHeadersTheBindingWasBuiltWith() {
    assertEquals(Core.bindingVersion(), Core.version());
    String[] p = Core.version().split("\\.");
    assertEquals(3, p.length);
    long n = Integer.parseInt(p[0]) * 10000L + Integer.parseInt(p[1]) * 100L + Integer.parseInt(p[2]);
    assertEquals(n, Core.versionNumber());
    assertEquals(1, Core.abiVersion());
  }

  @Test
  void simdTargetIsAKnownName() {
    String t = Core.simdTarget();
    assertFalse(t.isEmpty());
    assertTrue(t.matches("[A-Z0-9_]+"), t);
  }

  @Test
  void statusValuesAndNamesArePinned() {
    String[] names = {"CORE_OK", "CORE_E_INVALID_ARGUMENT", "CORE_E_OUT_OF_MEMORY", "CORE_E_BUFFER_TOO_SMALL",
        "CORE_E_FULL", "CORE_E_EMPTY", "CORE_E_NOT_FOUND", "CORE_E_IO", "CORE_E_FORMAT", "CORE_E_UNSUPPORTED",
        "CORE_E_UNAVAILABLE", "CORE_E_INTERNAL"};
    for (int code = 0; code < names.length; ++code) {
      assertEquals(names[code], Core.statusName(code));
      Status s = Status.of(code);
      assertEquals(code, s.code());
      assertEquals(names[code].replace("CORE_E_", "").replace("CORE_", ""), s.name());
    }
    assertEquals("CORE_E_UNKNOWN", Core.statusName(12345));
    assertEquals("CORE_E_UNKNOWN", Core.statusName(-1));
    assertEquals(Status.UNKNOWN, Status.of(12345));
    assertEquals(0, NanPolicy.PROPAGATE.code);
    assertEquals(1, NanPolicy.OMIT.code);
  }

  @Test
  void threadsCanBeSetAndRestored() {
    int initial = Core.getNumThreads();
    assertTrue(initial >= 1);
    try {
      Core.setNumThreads(1);
      assertEquals(1, Core.getNumThreads());
      Core.setNumThreads(3);
      assertEquals(3, Core.getNumThreads());
      Core.setNumThreads(0);
      assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), Core.getNumThreads());
    } finally {
      Core.setNumThreads(0);
    }
  }

  @Test
  void negativeThreadCountIsACoreException() {
    int before = Core.getNumThreads();
    Expect.core(Status.INVALID_ARGUMENT, "core_set_num_threads", () -> Core.setNumThreads(-1));
    assertEquals(before, Core.getNumThreads());
  }

  @Test
  void exceptionCarriesTheMessageOfItsOwnCall() {
    CoreException e = Expect.core(Status.INVALID_ARGUMENT, "core_linspace_f64",
        () -> CoreArrays.linspace(Double.NaN, 1, 3));
    // On a platform thread, a second call still sees the same thread-local
    // message: the exception captured exactly what C reported.
    assertEquals(CoreNative.core_last_error_message(), e.detail());
    assertTrue(e instanceof RuntimeException);
  }

  /** Each thread's exception names its own failure, never another thread's. */
  @Test
  void messagesAreThreadLocal() throws Exception {
    final int threads = 8;
    final int rounds = 2000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> problem = new AtomicReference<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; ++t) {
      final boolean arange = t % 2 == 0;
      Thread th = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < rounds; ++i) {
            try {
              if (arange) {
                CoreArrays.arange(0, 1, 0);
              } else {
                Reductions.min(new float[0]);
              }
              throw new AssertionError("no exception");
            } catch (CoreException e) {
              String want = arange ? "core_arange_len" : "core_min_f32";
              Status st = arange ? Status.INVALID_ARGUMENT : Status.EMPTY;
              if (!e.detail().startsWith(want) || e.status() != st) {
                throw new AssertionError("thread expected " + want + ", got " + e.getMessage());
              }
            }
          }
        } catch (Throwable x) {
          problem.compareAndSet(null, x);
        }
      });
      all.add(th);
      th.start();
    }
    start.countDown();
    for (Thread th : all) {
      th.join();
    }
    if (problem.get() != null) {
      throw new AssertionError(problem.get());
    }
  }
}
