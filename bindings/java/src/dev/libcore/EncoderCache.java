package dev.libcore;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A bounded, thread-safe LRU cache of float32 tensors keyed by 128-bit
 * content digests (C: {@code core_cache_t}, cache.h): the encoder cache of a
 * speech service, where the same audio comes back often.
 *
 * <pre>{@code
 * try (EncoderCache cache = EncoderCache.builder().maxEntries(10_000).ttlMillis(60_000).build()) {
 *   EncoderCache.Key key = EncoderCache.Key.ofAudio(window, 6);       // np.round(window, 6), XXH3-128
 *   EncoderCache.Tensor emb = cache.getOrCompute(key, k -> encoder.run(window)); // computed once
 *   cache.put(key, new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});
 *   EncoderCache.Tensor t = cache.get(key);                           // null on a miss
 *   cache.save(Path.of("cache.bin"));                                  // atomic; load() restores
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * Every method may run on any number of threads at once. The cache is
 * split into shards by key, each with its own lock and its own LRU and its
 * share of the bounds (see {@link Builder#shards}).
 *
 * <h2>Values</h2>
 * A value is a {@link Tensor}: n &gt; 0 floats and a shape of 1 to
 * {@link #MAX_DIMS} dimensions whose product is n. {@link #put} copies the
 * data in; {@link #get} returns a new Tensor of exactly the stored size (the
 * binding sizes the output itself: {@code CORE_E_BUFFER_TOO_SMALL} never
 * reaches Java).
 *
 * <h2>getOrCompute</h2>
 * On a miss the function runs on the calling thread, with no lock held;
 * concurrent calls for the same key wait for that one computation and get
 * its value. If the function throws, the calling thread gets that very
 * exception, every waiting thread gets {@link CoreException} with
 * {@link #COMPUTE_FAILED} ({@link Status#UNAVAILABLE}), and nothing is
 * cached. A function returning null counts as throwing
 * {@link NullPointerException}. The function may use the cache, except
 * getOrCompute of its own key (CoreException INVALID_ARGUMENT) and
 * {@link #close()} (IllegalStateException).
 * Statistics: a waiting caller counts one miss and one wait; when the value
 * it waited for is larger than any this cache handed out before, it also
 * counts one hit (it needs a second lookup to size its copy).
 *
 * <h2>Clock</h2>
 * {@link Builder#clock(LongSupplier)} replaces the wall clock (milliseconds)
 * that TTLs are measured with, for deterministic tests. libcore calls it
 * under a shard lock on whichever thread makes a cache call: it must be
 * quick, thread-safe, and must not use the cache. An exception it throws is
 * discarded and the previous reading used; readings are made non-decreasing
 * and non-negative.
 *
 * <h2>Closing</h2>
 * {@link #close()} releases the native cache; it is idempotent. Every other
 * method of a closed cache throws {@link IllegalStateException}. Closing
 * while other threads use the cache is safe: close waits for the calls in
 * progress (including getOrCompute functions that are running). A cache that
 * becomes unreachable without being closed is released by a cleaner, later.
 */
public final class EncoderCache implements AutoCloseable {
  /** The most dimensions a value may have (C: {@code CORE_CACHE_MAX_DIMS}). */
  public static final int MAX_DIMS = 4;
  /** The largest {@code decimals} of {@link Key#ofAudio} (C: {@code CORE_CACHE_MAX_DECIMALS}). */
  public static final int MAX_DECIMALS = 10;
  /** The largest number of shards (C: {@code CORE_CACHE_MAX_SHARDS}). */
  public static final int MAX_SHARDS = 256;
  /** The fixed bytes each entry counts for besides its data (C: {@code CORE_CACHE_ENTRY_OVERHEAD}). */
  public static final long ENTRY_OVERHEAD = 256;
  /**
   * The status the other callers waiting on a getOrCompute get when its
   * function threw (jni/jcore_cache.h, JCORE_COMPUTE_FAILED).
   */
  public static final Status COMPUTE_FAILED = Status.UNAVAILABLE;

  // ---- keys ------------------------------------------------------------------------

  /** A 128-bit key: an XXH3-128 digest (C: {@code core_key_t}). A value class. */
  public static final class Key {
    private final long lo;
    private final long hi;

    private Key(long lo, long hi) {
      this.lo = lo;
      this.hi = hi;
    }

    /** The key with these two words (for keys computed elsewhere, e.g. by another xxhash binding). */
    public static Key of(long lo, long hi) {
      return new Key(lo, hi);
    }

    /** XXH3-128 (seed 0) of the bytes: what any xxhash binding gives. Empty is allowed. */
    public static Key ofBytes(byte[] data) {
      long[] k = new long[2];
      CoreNative.jcore_cache_key_bytes(Check.notNull(data, "data"), k);
      return new Key(k[0], k[1]);
    }

    /**
     * The key of an audio clip: equal for clips that are equal after
     * {@code np.round(clip, decimals)} on float32 (round half to even; -0.0
     * equals 0.0), with the length and decimals in the digest. Empty is
     * allowed.
     *
     * @throws CoreException INVALID_ARGUMENT for a NaN sample (the message
     *     gives its index) or decimals outside 0 .. {@link #MAX_DECIMALS}
     */
    public static Key ofAudio(float[] samples, int decimals) {
      long[] k = new long[2];
      CoreNative.jcore_cache_key_audio(Check.notNull(samples, "samples"), decimals, k);
      return new Key(k[0], k[1]);
    }

    /** The low 64 bits of the digest. */
    public long lo() {
      return lo;
    }

    /** The high 64 bits of the digest. */
    public long hi() {
      return hi;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).lo == lo && ((Key) o).hi == hi;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(lo) * 31 + Long.hashCode(hi);
    }

    /** The digest as 32 hex digits, high word first (XXH128's canonical form). */
    @Override
    public String toString() {
      return String.format("%016x%016x", hi, lo);
    }
  }

  // ---- values ------------------------------------------------------------------------

  /** An immutable float32 tensor: data and shape. */
  public static final class Tensor {
    final float[] data;
    final long[] shape;

    /** Takes ownership of both arrays (callers inside the package only). */
    Tensor(float[] data, long[] shape) {
      this.data = data;
      this.shape = shape;
    }

    /** A one-dimensional tensor: a copy of data, shape {data.length}. */
    public static Tensor of(float[] data) {
      Check.notNull(data, "data");
      return of(data, new long[] {data.length});
    }

    /**
     * A copy of data with this shape.
     *
     * @throws IllegalArgumentException data empty, shape of 0 or more than
     *     {@link #MAX_DIMS} dimensions, a dimension &lt; 1, or a shape whose
     *     product is not data.length
     */
    public static Tensor of(float[] data, long[] shape) {
      Check.notNull(data, "data");
      Check.notNull(shape, "shape");
      if (data.length == 0) {
        throw new IllegalArgumentException("a tensor needs at least one element");
      }
      if (shape.length < 1 || shape.length > MAX_DIMS) {
        throw new IllegalArgumentException("a tensor has 1 to " + MAX_DIMS + " dimensions, got " + shape.length);
      }
      long product = 1;
      for (long d : shape) {
        if (d < 1) {
          throw new IllegalArgumentException("dimensions must be >= 1, got " + Arrays.toString(shape));
        }
        product = product > Integer.MAX_VALUE ? product : product * d;
      }
      if (product != data.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length
            + " elements");
      }
      return new Tensor(data.clone(), shape.clone());
    }

    /** As {@link #of(float[], long[])} with an int shape. */
    public static Tensor of(float[] data, int[] shape) {
      return of(data, toLongs(Check.notNull(shape, "shape")));
    }

    /** A copy of the data (row-major). */
    public float[] data() {
      return data.clone();
    }

    /** Copies the data into out[0, size()). */
    public void copyTo(float[] out) {
      System.arraycopy(data, 0, Check.notNull(out, "out"), 0, data.length);
    }

    /** The element at flat index i. */
    public float get(int i) {
      return data[i];
    }

    /** The number of elements. */
    public int size() {
      return data.length;
    }

    /** A copy of the shape. */
    public long[] shape() {
      return shape.clone();
    }

    /** The number of dimensions. */
    public int ndim() {
      return shape.length;
    }

    /** Same shape and bit-for-bit the same data. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor && Arrays.equals(((Tensor) o).shape, shape) && Arrays.equals(((Tensor) o).data, data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Tensor" + Arrays.toString(shape);
    }
  }

  private static long[] toLongs(int[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; ++i) {
      l[i] = v[i];
    }
    return l;
  }

  // ---- options --------------------------------------------------------------------------

  /** Options of a new cache: {@code EncoderCache.builder().maxEntries(n).maxBytes(b).build()}. */
  public static final class Builder {
    private long maxEntries = -1;
    private long maxBytes = -1;
    private long ttlMillis = -1;
    private long shards = -1;
    private LongSupplier clock;

    private Builder() {}

    private static long notNegative(long v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + v);
      }
      return v;
    }

    /** At most this many entries; 0 = no count bound. Default 4096. */
    public Builder maxEntries(long n) {
      maxEntries = notNegative(n, "maxEntries");
      return this;
    }

    /**
     * At most this many bytes, counted as {@link EncoderCache#entryBytes}
     * per entry; 0 = no byte bound. Default 256 MiB. At least one bound must
     * be set.
     */
    public Builder maxBytes(long bytes) {
      maxBytes = notNegative(bytes, "maxBytes");
      return this;
    }

    /** Entries expire this long after they were written (a get does not extend it); 0 = never (default). */
    public Builder ttlMillis(long ms) {
      ttlMillis = notNegative(ms, "ttlMillis");
      return this;
    }

    /**
     * A power of two up to {@link #MAX_SHARDS}, or 0 (default) for automatic
     * (up to 16 shards, at least 64 entries each). The bounds are split
     * evenly between shards, each evicting its own least recently used
     * entries: LRU is exact within a shard; with 1 shard, exact overall.
     */
    public Builder shards(int shards) {
      this.shards = notNegative(shards, "shards");
      return this;
    }

    /** The clock TTLs use, in milliseconds (see the class comment); null = the wall clock. */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /**
     * A new cache.
     *
     * @throws CoreException INVALID_ARGUMENT for both bounds 0 or shards not a
     *     power of two up to {@link #MAX_SHARDS}; OUT_OF_MEMORY
     */
    public EncoderCache build() {
      return new EncoderCache(this);
    }
  }

  /** Starts the options of a new cache. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- state ------------------------------------------------------------------------------

  /** The native handle and its release; what the cleaner keeps (never the cache). */
  private static final class Native implements Runnable {
    final long handle;

    Native(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      CoreNative.jcore_cache_destroy(handle);
    }
  }

  private static final class Cleanup {
    static final Cleaner CLEANER = Cleaner.create();
  }

  /**
   * Calls in flight. close() sets {@link #closed} and then waits for 0: a
   * call either sees closed (and touches nothing) or is waited for.
   */
  private final AtomicLong inflight = new AtomicLong();
  private volatile boolean closed;
  private final Object closeLock = new Object();
  /** getOrCompute functions running on the current thread (close() from one would wait for itself). */
  private final ThreadLocal<int[]> computing = ThreadLocal.withInitial(() -> new int[1]);
  private final Native cache;
  private final Cleaner.Cleanable cleanable;

  /** A cache with the default options: 4096 entries, 256 MiB, no TTL, automatic shards. */
  public EncoderCache() {
    this(new Builder());
  }

  private EncoderCache(Builder b) {
    long[] handle = new long[1];
    CoreNative.jcore_cache_create(new long[] {b.maxEntries, b.maxBytes, b.ttlMillis, b.shards}, b.clock, handle);
    this.cache = new Native(handle[0]);
    this.cleanable = Cleanup.CLEANER.register(this, cache);
  }

  private long enter() {
    if (closed) {
      throw new IllegalStateException("this EncoderCache is closed");
    }
    inflight.getAndIncrement();
    if (closed) {
      inflight.getAndDecrement();
      throw new IllegalStateException("this EncoderCache is closed");
    }
    return cache.handle;
  }

  private void exit() {
    inflight.getAndDecrement();
    Reference.reachabilityFence(this);
  }

  private static Tensor tensor(Object[] result, long[] shape) {
    float[] data = (float[]) result[0];
    return new Tensor(data, Arrays.copyOfRange(shape, 1, 1 + (int) shape[0]));
  }

  // ---- entries ------------------------------------------------------------------------------

  /** Bytes an entry of n floats counts for against maxBytes: 4 * n + {@link #ENTRY_OVERHEAD}. */
  public static long entryBytes(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    return CoreNative.core_cache_entry_bytes(n);
  }

  /** The number of shards in use (the options resolved). */
  public int shards() {
    long h = enter();
    try {
      return (int) CoreNative.jcore_cache_shards(h);
    } finally {
      exit();
    }
  }

  /** Stores a copy of data as a one-dimensional value under key, replacing any value it had. */
  public void put(Key key, float[] data) {
    Check.notNull(data, "data");
    put(key, data, new long[] {data.length});
  }

  /**
   * Stores a copy of data with this shape under key, replacing any value it
   * had (its TTL restarts); least recently used entries of its shard are
   * evicted as needed.
   *
   * @throws CoreException INVALID_ARGUMENT for empty data, more than
   *     {@link #MAX_DIMS} dimensions, a zero dimension, or a shape whose
   *     product is not data.length; FULL when the entry is larger than its
   *     shard's share of maxBytes (nothing is evicted); OUT_OF_MEMORY
   */
  public void put(Key key, float[] data, long[] shape) {
    Check.notNull(key, "key");
    Check.notNull(data, "data");
    Check.notNull(shape, "shape");
    long h = enter();
    try {
      CoreNative.jcore_cache_put(h, key.lo, key.hi, data, shape);
    } finally {
      exit();
    }
  }

  /** As {@link #put(Key, float[], long[])} with an int shape. */
  public void put(Key key, float[] data, int[] shape) {
    put(key, data, toLongs(Check.notNull(shape, "shape")));
  }

  /** Stores the tensor under key (see {@link #put(Key, float[], long[])}). */
  public void put(Key key, Tensor value) {
    Check.notNull(value, "value");
    put(key, value.data, value.shape);
  }

  /**
   * The value of key (a new Tensor of exactly its size), or null on a miss
   * (no entry, or an expired one, which is removed). Counts one hit or one
   * miss; a hit makes the entry the most recently used.
   */
  public Tensor get(Key key) {
    Check.notNull(key, "key");
    Object[] result = new Object[1];
    long[] shape = new long[1 + MAX_DIMS];
    long h = enter();
    try {
      CoreNative.jcore_cache_get(h, key.lo, key.hi, result, shape);
    } finally {
      exit();
    }
    return result[0] == null ? null : tensor(result, shape);
  }

  /** Whether key has a live entry. Changes no counter and no LRU position. */
  public boolean contains(Key key) {
    Check.notNull(key, "key");
    long h = enter();
    try {
      return CoreNative.jcore_cache_contains(h, key.lo, key.hi) != 0;
    } finally {
      exit();
    }
  }

  /** Removes the entry of key; false when there was none (or only an expired one). */
  public boolean remove(Key key) {
    Check.notNull(key, "key");
    long h = enter();
    try {
      return CoreNative.jcore_cache_remove(h, key.lo, key.hi) != 0;
    } finally {
      exit();
    }
  }

  /** Removes every entry (not counted as evictions; counters are kept). */
  public void clear() {
    long h = enter();
    try {
      CoreNative.jcore_cache_clear(h);
    } finally {
      exit();
    }
  }

  // ---- get or compute ---------------------------------------------------------------------------

  /** What the native callback calls (jni/jcore_cache.h): the user's function and its result. */
  static final class Computation {
    private final Key key;
    private final Function<? super Key, ? extends Tensor> fn;
    Tensor result;

    Computation(Key key, Function<? super Key, ? extends Tensor> fn) {
      this.key = key;
      this.fn = fn;
    }

    /** Called from native code on the thread of getOrCompute. */
    float[] compute() {
      Tensor t = fn.apply(key);
      if (t == null) {
        throw new NullPointerException("the getOrCompute function returned null for key " + key);
      }
      result = t;
      return t.data;
    }

    /** Called from native code right after compute(). */
    long[] computedShape() {
      return result.shape;
    }
  }

  /**
   * The value of key; on a miss, fn(key) computes it, it is stored and
   * returned. Concurrent calls for one key run fn once: the others wait for
   * it (without a time limit) and get its value, or its failure.
   *
   * @return the value: the Tensor fn returned on the thread that computed
   *     it, a new Tensor elsewhere
   * @throws RuntimeException whatever fn threw, on the thread that ran it
   *     (nothing is cached)
   * @throws CoreException {@link #COMPUTE_FAILED} on a thread that waited
   *     for a computation whose fn threw; INVALID_ARGUMENT when fn calls
   *     getOrCompute for the key it is computing; FULL when fn's value can
   *     never fit (maxBytes); OUT_OF_MEMORY
   */
  public Tensor getOrCompute(Key key, Function<? super Key, ? extends Tensor> fn) {
    Check.notNull(key, "key");
    Check.notNull(fn, "fn");
    Computation c = new Computation(key, fn);
    Object[] result = new Object[1];
    long[] shape = new long[1 + MAX_DIMS];
    int[] depth = computing.get();
    long h = enter();
    depth[0] += 1;
    try {
      CoreNative.jcore_cache_get_or_compute(h, key.lo, key.hi, c, result, shape);
    } finally {
      depth[0] -= 1;
      exit();
    }
    return shape[0] == -1 ? c.result : tensor(result, shape);
  }

  // ---- statistics, persistence ----------------------------------------------------------------

  /** The counters now (after sweeping expired entries). */
  public CacheStats stats() {
    long[] v = new long[11];
    long h = enter();
    try {
      CoreNative.jcore_cache_stats(h, v);
    } finally {
      exit();
    }
    return new CacheStats(v);
  }

  /** Zeroes hits, misses, inserts, evictions, expirations and the compute counters (entries and bytes stay). */
  public void resetStats() {
    long h = enter();
    try {
      CoreNative.jcore_cache_stats_reset(h);
    } finally {
      exit();
    }
  }

  /**
   * Writes every live entry (key, write time, shape, data) to path,
   * atomically (a temporary file beside it, fsync, rename). Mode 0600.
   *
   * @throws CoreException IO when the file cannot be written (a missing folder...)
   */
  public void save(Path path) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path").toString());
    long h = enter();
    try {
      CoreNative.jcore_cache_save(h, p);
    } finally {
      exit();
    }
  }

  /**
   * Stores the entries of a file written by {@link #save}, with their
   * original write times (expired ones are dropped), replacing live entries
   * of the same keys; bounds apply as for put.
   *
   * @throws CoreException FORMAT for an empty, truncated or corrupt file, a
   *     bad checksum or another format version (the cache is unchanged); IO
   *     when it cannot be opened or read
   */
  public void load(Path path) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path").toString());
    long h = enter();
    try {
      CoreNative.jcore_cache_load(h, p);
    } finally {
      exit();
    }
  }

  // ---- closing ----------------------------------------------------------------------------------

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Releases the native cache and its entries. Idempotent; safe on any
   * thread at any time: waits for the calls in progress on other threads.
   *
   * @throws IllegalStateException called from inside a getOrCompute function
   *     of this cache (it would wait for itself)
   */
  @Override
  public void close() {
    if (computing.get()[0] > 0) {
      throw new IllegalStateException("EncoderCache.close() called from inside one of its getOrCompute functions");
    }
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      for (int spins = 0; inflight.get() != 0; ++spins) {
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
    return closed ? "EncoderCache{closed}" : "EncoderCache{open}";
  }
}
