package dev.libcore;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A preallocated, lock-free float32 ring buffer for audio (C:
 * {@code core_ring_t}, ring.h): one thread appends microphone chunks, another
 * reads analysis windows, and no sample is ever lost silently.
 *
 * <pre>{@code
 * try (RingBuffer ring = RingBuffer.builder().capacity(16000 * 10)      // 10 s at 16 kHz
 *         .policy(RingBuffer.Policy.OVERWRITE).build()) {
 *   ring.append(Pcm.decode(chunk));             // producer thread (or ring.append(short[]))
 *   ...
 *   if (ring.waitReadable(400, 100)) {          // consumer thread: a 25 ms window, or time out
 *     float[] window = ring.read(400);          // copy without consuming
 *     ring.consume(160);                        // hop 10 ms
 *   }
 *   float[] last = ring.readLatest(8000);       // the last 0.5 s
 * }
 * }</pre>
 *
 * <h2>Thread contract</h2>
 * A ring has a <b>producer side</b> ({@link #append}, {@link #waitWritable})
 * and a <b>consumer side</b> ({@link #read}, {@link #readAll},
 * {@link #readLatest}, {@link #peek}, {@link #consume}, {@link #pop},
 * {@link #clear}, {@link #waitReadable}). At any moment at most one thread
 * may run producer methods and at most one thread consumer methods; they may
 * be the same thread, and the thread on each side may change over time. The
 * two sides never block each other (lock-free: atomic indices, no lock).
 * Anything else, such as two producer threads, needs your own lock around
 * that side. This binding checks the contract: a producer (or consumer)
 * method called while another thread is inside one throws
 * {@link ConcurrentModificationException} rather than corrupting the ring.
 * The queries ({@link #size}, {@link #space}, {@link #capacity},
 * {@link #dropped}, {@link #isMirrored}, {@link #policy}) may run on any
 * thread at any time; they are snapshots. {@link #close} may run on any
 * thread at any time (see there).
 *
 * <h2>Full and empty</h2>
 * Under {@link Policy#REJECT} an append that does not fit writes nothing
 * and throws {@link CoreException} with {@link Status#FULL}: the caller still
 * holds its data (wait with {@link #waitWritable} and retry, or drop it
 * knowingly). Under {@link Policy#OVERWRITE} an append always succeeds: the
 * oldest samples make room and are counted by {@link #dropped()}; a read
 * never returns torn data. Reading, consuming or popping more than is there
 * throws {@link CoreException} with {@link Status#EMPTY} and copies or
 * consumes nothing ({@link #pop} returns what there is, and throws EMPTY
 * only on an empty ring).
 *
 * <h2>Memory</h2>
 * The native ring allocates everything at creation (optionally the same
 * pages mapped twice, {@link Mirror}) and nothing afterwards. Arrays reach
 * it without a copy up to {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements
 * (JNI critical access for the duration of one memcpy), copied beyond;
 * {@link #append(FloatBuffer)} and {@link #peek(FloatBuffer)} take direct
 * buffers and are never copied. There is no zero-copy view of the ring's
 * memory ({@code core_ring_regions}): a Java view could outlive
 * {@link #close()} and crash the JVM, and under OVERWRITE a held view makes
 * the producer drop samples; {@link #peek(FloatBuffer)} is its safe
 * equivalent (one memcpy from the ring into your buffer).
 *
 * <h2>Closing</h2>
 * {@link #close()} releases the native ring; it is idempotent. Every other
 * method of a closed ring throws {@link IllegalStateException}. Closing
 * while other threads use the ring is safe: close waits for the calls in
 * progress (a wait in progress ends within {@value #WAIT_SLICE_MS} ms and
 * throws IllegalStateException). A ring that becomes unreachable without
 * being closed is released by the garbage collector's cleaner, later.
 */
public final class RingBuffer implements AutoCloseable {
  /** The largest capacity libcore accepts, in samples (2^32: 16 GiB of float32). */
  public static final long MAX_CAPACITY = 1L << 32;

  /**
   * The longest single native wait, in milliseconds: longer waits are made of
   * such slices, so that {@link #close()} and {@link Thread#interrupt()} take
   * effect within it.
   */
  public static final int WAIT_SLICE_MS = 10;

  /** What an append does when the samples do not fit (C: {@code core_ring_policy}). */
  public enum Policy {
    /** Write nothing and throw {@code CoreException(FULL)}: nothing is lost. The default. */
    REJECT(0),
    /** Drop the oldest samples to make room, counted by {@link RingBuffer#dropped()}. */
    OVERWRITE(1);

    final int code;

    Policy(int code) {
      this.code = code;
    }

    static Policy of(int code) {
      return code == OVERWRITE.code ? OVERWRITE : REJECT;
    }
  }

  /** Whether the storage is mapped twice, back to back (C: {@code core_ring_mirror}). */
  public enum Mirror {
    /** A plain buffer. The default. */
    OFF(0),
    /** Mirrored when the system allows it (memfd), else plain: see {@link RingBuffer#isMirrored()}. */
    ON(1),
    /** Mirrored, or the constructor throws {@code CoreException(UNSUPPORTED)}. */
    REQUIRE(2);

    final int code;

    Mirror(int code) {
      this.code = code;
    }
  }

  /** Options for a new ring: {@code RingBuffer.builder().capacity(n).policy(p).mirror(m).build()}. */
  public static final class Builder {
    private long capacity;
    private Policy policy = Policy.REJECT;
    private Mirror mirror = Mirror.OFF;

    private Builder() {}

    /** The capacity in samples, 1 to {@link #MAX_CAPACITY}; required. */
    public Builder capacity(long samples) {
      if (samples < 0) {
        throw new IllegalArgumentException("capacity must be >= 0, got " + samples);
      }
      this.capacity = samples;
      return this;
    }

    /** {@link Policy#REJECT} unless set. */
    public Builder policy(Policy policy) {
      this.policy = Check.notNull(policy, "policy");
      return this;
    }

    /** {@link Mirror#OFF} unless set. */
    public Builder mirror(Mirror mirror) {
      this.mirror = Check.notNull(mirror, "mirror");
      return this;
    }

    /**
     * A new ring with these options.
     *
     * @throws CoreException INVALID_ARGUMENT for capacity 0 (not set) or above
     *     {@link #MAX_CAPACITY}; UNSUPPORTED for {@link Mirror#REQUIRE} where
     *     mirroring is impossible; OUT_OF_MEMORY
     */
    public RingBuffer build() {
      return new RingBuffer(capacity, policy, mirror);
    }
  }

  /** Starts the options of a new ring. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- state ---------------------------------------------------------------

  /** Slots of {@link #gates}, 128 bytes apart so the two sides never share a cache line. */
  private static final int PRODUCER = 16;
  private static final int CONSUMER = 32;
  private static final int QUERY = 48;

  /**
   * In-flight calls: PRODUCER and CONSUMER are 0 or 1 (a compare-and-set
   * enforces one thread per side), QUERY counts. close() sets {@link #closed}
   * then waits for all three to be 0 before destroying: a call either sees
   * closed (and touches nothing) or is waited for (the Dekker pattern on
   * volatile accesses, which the Java memory model orders totally).
   */
  private final AtomicLongArray gates = new AtomicLongArray(64);

  private volatile boolean closed;
  private final Object closeLock = new Object();
  private final Native ring;
  private final Cleaner.Cleanable cleanable;
  private final long capacity;
  private final Policy policy;
  private final boolean mirrored;

  /** The native handle and its release; what the cleaner keeps (never the RingBuffer). */
  private static final class Native implements Runnable {
    final long handle;

    Native(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      CoreNative.core_ring_destroy(handle);
    }
  }

  /** Created on first use (Cleaner.create starts a thread). */
  private static final class Cleanup {
    static final Cleaner CLEANER = Cleaner.create();
  }

  /** A ring of capacity samples, {@link Policy#REJECT}, no mirror. */
  public RingBuffer(long capacity) {
    this(capacity, Policy.REJECT, Mirror.OFF);
  }

  public RingBuffer(long capacity, Policy policy) {
    this(capacity, policy, Mirror.OFF);
  }

  /**
   * A ring of capacity samples (stored exactly: {@link #size()} never exceeds
   * it; the native storage behind is a power of two).
   *
   * @throws IllegalArgumentException capacity negative
   * @throws CoreException INVALID_ARGUMENT for capacity 0 or above
   *     {@link #MAX_CAPACITY}; UNSUPPORTED for {@link Mirror#REQUIRE} where
   *     mirroring is impossible; OUT_OF_MEMORY
   */
  public RingBuffer(long capacity, Policy policy, Mirror mirror) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    long[] handle = new long[1];
    CoreNative.core_ring_create(
        new long[] {capacity, Check.notNull(policy, "policy").code, Check.notNull(mirror, "mirror").code}, handle);
    this.ring = new Native(handle[0]);
    this.cleanable = Cleanup.CLEANER.register(this, ring);
    this.capacity = CoreNative.core_ring_capacity(handle[0]);
    this.policy = Policy.of(CoreNative.core_ring_get_policy(handle[0]));
    this.mirrored = CoreNative.core_ring_is_mirrored(handle[0]) != 0;
  }

  // ---- gates -----------------------------------------------------------------

  private IllegalStateException closedError() {
    return new IllegalStateException("this RingBuffer is closed");
  }

  /** Enters the producer or consumer side; returns the handle. */
  private long enter(int side) {
    if (closed) {
      throw closedError();
    }
    if (!gates.compareAndSet(side, 0, 1)) {
      String name = side == PRODUCER ? "producer (append, waitWritable)"
          : "consumer (read, readAll, readLatest, peek, consume, pop, clear, waitReadable)";
      throw new ConcurrentModificationException("two threads called " + name + " methods of one RingBuffer at"
          + " the same time: a ring takes one producer thread and one consumer thread at a time; lock that"
          + " side yourself to share it");
    }
    if (closed) {
      gates.set(side, 0);
      throw closedError();
    }
    return ring.handle;
  }

  private void exit(int side) {
    gates.lazySet(side, 0); // release: close() sees the call finished before it destroys
    Reference.reachabilityFence(this); // no cleaner run while the native call was using the handle
  }

  private long enterQuery() {
    if (closed) {
      throw closedError();
    }
    gates.getAndIncrement(QUERY);
    if (closed) {
      gates.getAndDecrement(QUERY);
      throw closedError();
    }
    return ring.handle;
  }

  private void exitQuery() {
    gates.getAndDecrement(QUERY);
    Reference.reachabilityFence(this);
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private static long checkCount(long n, String name) {
    if (n < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + n);
    }
    return n;
  }

  // ---- producer side ---------------------------------------------------------------

  /**
   * Appends x. Under REJECT all of x or nothing: throws
   * {@code CoreException(FULL)} when it does not fit now (its message says
   * when it never can: more than the capacity). Under OVERWRITE always
   * succeeds, dropping the oldest samples if needed (with more than
   * capacity samples only the last capacity are kept). Producer side.
   */
  public void append(float[] x) {
    Check.notNull(x, "x");
    long h = enter(PRODUCER);
    try {
      CoreNative.core_ring_append_f32(h, x);
    } finally {
      exit(PRODUCER);
    }
  }

  /**
   * Appends int16 PCM converted on the way in to {@code v / 32768f}, exactly
   * (so in [-1, 1)), as {@link Pcm#decode}. Otherwise as {@link #append(float[])}.
   */
  public void append(short[] pcm) {
    Check.notNull(pcm, "pcm");
    long h = enter(PRODUCER);
    try {
      CoreNative.core_ring_append_i16(h, pcm);
    } finally {
      exit(PRODUCER);
    }
  }

  /**
   * Appends the buffer's remaining elements (a direct buffer in native byte
   * order; position unchanged), without any copy but the one into the ring.
   * Otherwise as {@link #append(float[])}.
   */
  public void append(FloatBuffer x) {
    FloatBuffer b = Check.in(x, "x");
    long h = enter(PRODUCER);
    try {
      CoreNative.jcore_ring_append_f32_direct(h, b);
    } finally {
      exit(PRODUCER);
    }
  }

  /**
   * Waits until at least n samples can be appended without failing (REJECT)
   * or dropping (OVERWRITE), or the timeout passes. Returns true when the
   * space is there, false on timeout; then, with one producer, an append of
   * up to n samples cannot fail. A timeout of 0 just tests, a negative one
   * waits without limit. The thread sleeps (a futex), costing the consumer a
   * system call per call that frees space meanwhile. Producer side.
   *
   * @throws IllegalArgumentException n negative
   * @throws CoreException INVALID_ARGUMENT for n greater than the capacity
   *     (never satisfiable)
   * @throws InterruptedException the thread was interrupted (checked every
   *     {@value #WAIT_SLICE_MS} ms)
   * @throws IllegalStateException the ring is (or was meanwhile) closed
   */
  public boolean waitWritable(long n, long timeoutMillis) throws InterruptedException {
    return await(PRODUCER, checkCount(n, "n"), timeoutMillis);
  }

  // ---- consumer side ---------------------------------------------------------------

  /**
   * Copies the {@code out.length} oldest samples into out without consuming
   * them. A {@link #consume(long)} right after consumes exactly these first
   * (under OVERWRITE, those the producer dropped meanwhile are counted in
   * {@link #dropped()}, not consumed twice). Consumer side.
   *
   * @throws CoreException EMPTY, nothing copied, when fewer are readable
   */
  public void read(float[] out) {
    Check.notNull(out, "out");
    long h = enter(CONSUMER);
    try {
      CoreNative.core_ring_read(h, out);
    } finally {
      exit(CONSUMER);
    }
  }

  /** The n oldest samples, without consuming them: {@link #read(float[])} into a new array. */
  public float[] read(int n) {
    float[] out = new float[Check.notNegative(n, "n")];
    read(out);
    return out;
  }

  /**
   * Copies every readable sample into the start of out, without consuming,
   * and returns their number. An empty ring gives 0. Consumer side.
   *
   * @throws CoreException BUFFER_TOO_SMALL, nothing copied, when more than
   *     {@code out.length} samples are readable
   */
  public int readAll(float[] out) {
    Check.notNull(out, "out");
    long h = enter(CONSUMER);
    try {
      return (int) CoreNative.core_ring_read_all(h, out);
    } finally {
      exit(CONSUMER);
    }
  }

  /**
   * Every sample readable when the call starts, oldest first, without
   * consuming them (samples the producer appends meanwhile are left for the
   * next read). Consumer side.
   *
   * @throws IllegalArgumentException more samples than a Java array holds
   */
  public float[] readAll() {
    long h = enter(CONSUMER);
    try {
      float[] out = new float[Check.arrayLength(CoreNative.core_ring_size(h), "the readable span")];
      CoreNative.core_ring_read(h, out);
      return out;
    } finally {
      exit(CONSUMER);
    }
  }

  /**
   * Copies the {@code out.length} newest samples into out, oldest first
   * ("the last N ms of audio"), consuming nothing. Consumer side (under
   * REJECT only the consumer keeps those samples from being freed).
   *
   * @throws CoreException EMPTY when fewer are readable
   */
  public void readLatest(float[] out) {
    Check.notNull(out, "out");
    long h = enter(CONSUMER);
    try {
      CoreNative.core_ring_read_latest(h, out);
    } finally {
      exit(CONSUMER);
    }
  }

  /** The n newest samples, oldest first: {@link #readLatest(float[])} into a new array. */
  public float[] readLatest(int n) {
    float[] out = new float[Check.notNegative(n, "n")];
    readLatest(out);
    return out;
  }

  /**
   * The safe equivalent of {@code core_ring_regions}: copies the oldest
   * readable samples, as many as dst has room for ({@code dst.remaining()}),
   * into dst (a direct buffer in native byte order) with one memcpy from the
   * ring, consumes nothing, and returns how many. dst's position is not
   * changed; the samples are at {@code dst.position()} onward. Unlike a view
   * of the ring's memory, the copy stays valid after any later call or
   * {@link #close()}. As after {@link #read(float[])}, a
   * {@link #consume(long)} right after consumes exactly the first of these.
   * Consumer side.
   */
  public int peek(FloatBuffer dst) {
    FloatBuffer b = Check.out(dst, "dst");
    long h = enter(CONSUMER);
    try {
      long n = Math.min(CoreNative.core_ring_size(h), b.remaining());
      if (n > 0) {
        CoreNative.jcore_ring_read_direct(h, b, n);
      }
      return (int) n;
    } finally {
      exit(CONSUMER);
    }
  }

  /**
   * Discards the n oldest samples ("oldest" as the last read or peek showed
   * them, see {@link #read(float[])}). Consumer side.
   *
   * @throws IllegalArgumentException n negative
   * @throws CoreException EMPTY, nothing consumed, when fewer than n are there
   */
  public void consume(long n) {
    checkCount(n, "n");
    long h = enter(CONSUMER);
    try {
      CoreNative.core_ring_consume(h, n);
    } finally {
      exit(CONSUMER);
    }
  }

  /**
   * Moves up to {@code out.length} of the oldest samples into out (copy,
   * then consume, as one step) and returns how many. Under OVERWRITE every
   * sample is either popped or counted as dropped, never both. An empty out
   * returns 0. Consumer side.
   *
   * @throws CoreException EMPTY when the ring is empty (and out is not)
   */
  public int pop(float[] out) {
    Check.notNull(out, "out");
    long h = enter(CONSUMER);
    try {
      return (int) CoreNative.core_ring_pop(h, out);
    } finally {
      exit(CONSUMER);
    }
  }

  /** Up to max of the oldest samples, consumed: {@link #pop(float[])} into a new array of the right length. */
  public float[] pop(int max) {
    float[] out = new float[Check.notNegative(max, "max")];
    int got = pop(out);
    return got == max ? out : Arrays.copyOf(out, got);
  }

  /**
   * Discards every readable sample (not counted in {@link #dropped()});
   * samples appended concurrently may or may not survive. Consumer side: a
   * producer thread that wants to clear must ask the consumer.
   */
  public void clear() {
    long h = enter(CONSUMER);
    try {
      CoreNative.core_ring_clear(h);
    } finally {
      exit(CONSUMER);
    }
  }

  /**
   * Waits until at least n samples are readable, or the timeout passes.
   * Returns true when they are there, false on timeout. A timeout of 0 just
   * tests, a negative one waits without limit. The thread sleeps (a futex),
   * costing the producer a system call per append while it sleeps.
   * Consumer side.
   *
   * @throws IllegalArgumentException n negative
   * @throws CoreException INVALID_ARGUMENT for n greater than the capacity
   *     (never satisfiable)
   * @throws InterruptedException the thread was interrupted (checked every
   *     {@value #WAIT_SLICE_MS} ms)
   * @throws IllegalStateException the ring is (or was meanwhile) closed
   */
  public boolean waitReadable(long n, long timeoutMillis) throws InterruptedException {
    return await(CONSUMER, checkCount(n, "n"), timeoutMillis);
  }

  /** A wait made of native waits of at most WAIT_SLICE_MS, each inside the side's gate. */
  private boolean await(int side, long n, long timeoutMillis) throws InterruptedException {
    final long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
    for (;;) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      int slice = WAIT_SLICE_MS;
      if (timeoutMillis == 0) {
        slice = 0;
      } else if (timeoutMillis > 0) {
        long left = deadline - System.nanoTime();
        slice = left <= 0 ? 0 : (int) Math.min(WAIT_SLICE_MS, (left + 999_999) / 1_000_000);
      }
      long h = enter(side);
      boolean ready;
      try {
        ready = (side == PRODUCER ? CoreNative.jcore_ring_wait_writable(h, n, slice)
            : CoreNative.jcore_ring_wait_readable(h, n, slice)) != 0;
      } finally {
        exit(side);
      }
      if (ready) {
        return true;
      }
      if (timeoutMillis == 0 || (timeoutMillis > 0 && deadline - System.nanoTime() <= 0)) {
        return false;
      }
    }
  }

  // ---- queries (any thread) -------------------------------------------------------

  /** Readable samples now, 0 to capacity (a snapshot). */
  public long size() {
    long h = enterQuery();
    try {
      return CoreNative.core_ring_size(h);
    } finally {
      exitQuery();
    }
  }

  /** {@code capacity() - size()}: samples an append can take now without failing or dropping. */
  public long space() {
    long h = enterQuery();
    try {
      return CoreNative.core_ring_space(h);
    } finally {
      exitQuery();
    }
  }

  /**
   * Samples dropped by OVERWRITE since creation (always 0 under REJECT).
   * Every sample appended is popped exactly once, counted here exactly once,
   * or discarded by consume/clear.
   */
  public long dropped() {
    long h = enterQuery();
    try {
      return CoreNative.core_ring_dropped(h);
    } finally {
      exitQuery();
    }
  }

  /** The capacity given at creation, in samples. */
  public long capacity() {
    checkOpen();
    return capacity;
  }

  /** The full policy given at creation. */
  public Policy policy() {
    checkOpen();
    return policy;
  }

  /**
   * Whether the storage is mapped twice (so copies never split at the wrap):
   * false with {@link Mirror#OFF}, and with {@link Mirror#ON} where the
   * system refused (no memfd, no file descriptor left).
   */
  public boolean isMirrored() {
    checkOpen();
    return mirrored;
  }

  // ---- closing ---------------------------------------------------------------------

  /** Whether {@link #close()} was called. Any thread. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Releases the native ring ({@code core_ring_destroy}). Idempotent: later
   * calls return at once. Safe from any thread at any time: calls in
   * progress on other threads are waited for (waits end within
   * {@value #WAIT_SLICE_MS} ms), and every later call throws
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      for (int spins = 0; gates.get(PRODUCER) != 0 || gates.get(CONSUMER) != 0 || gates.get(QUERY) != 0; ++spins) {
        if (spins < 1000) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(50_000);
        }
      }
      cleanable.clean();
    }
  }

  @Override
  public String toString() {
    return "RingBuffer{capacity=" + capacity + ", policy=" + policy + ", mirrored=" + mirrored
        + (closed ? ", closed}" : "}");
  }
}
