package dev.libcore;

/**
 * The counters of an {@link EncoderCache} at one moment (C:
 * {@code core_cache_stats_t}), from {@link EncoderCache#stats()}. Counters
 * are exact; the figures of different shards are read one shard after
 * another. Counters are unsigned in C and read here as Java longs.
 */
public final class CacheStats {
  private final long hits;
  private final long misses;
  private final long inserts;
  private final long evictions;
  private final long expirations;
  private final long entries;
  private final long bytes;
  private final double hitRate;
  private final long computes;
  private final long computeFailures;
  private final long computeWaits;

  /** From jni/jcore_cache.h's long[11]. */
  CacheStats(long[] v) {
    hits = v[0];
    misses = v[1];
    inserts = v[2];
    evictions = v[3];
    expirations = v[4];
    entries = v[5];
    bytes = v[6];
    hitRate = Double.longBitsToDouble(v[7]);
    computes = v[8];
    computeFailures = v[9];
    computeWaits = v[10];
  }

  /** Lookups (get, getOrCompute) that found a live entry. */
  public long hits() {
    return hits;
  }

  /** Lookups that did not (expired entries included). */
  public long misses() {
    return misses;
  }

  /** Entries stored by put and getOrCompute (not by load). */
  public long inserts() {
    return inserts;
  }

  /** Entries removed to honour maxEntries / maxBytes. */
  public long evictions() {
    return evictions;
  }

  /** Entries removed because their TTL passed. */
  public long expirations() {
    return expirations;
  }

  /** Entries held now (after sweeping expired ones). */
  public long entries() {
    return entries;
  }

  /** Bytes held now: {@link EncoderCache#entryBytes(long)} per entry. */
  public long bytes() {
    return bytes;
  }

  /** hits / (hits + misses), 0 when there were none. */
  public double hitRate() {
    return hitRate;
  }

  /** Functions run by getOrCompute. */
  public long computes() {
    return computes;
  }

  /** Of those, the ones that failed (threw, or gave a value the cache refused). */
  public long computeFailures() {
    return computeFailures;
  }

  /** getOrCompute calls that waited for another thread's computation instead of computing. */
  public long computeWaits() {
    return computeWaits;
  }

  @Override
  public String toString() {
    return "CacheStats{hits=" + hits + ", misses=" + misses + ", inserts=" + inserts + ", evictions=" + evictions
        + ", expirations=" + expirations + ", entries=" + entries + ", bytes=" + bytes + ", hitRate=" + hitRate
        + ", computes=" + computes + ", computeFailures=" + computeFailures + ", computeWaits=" + computeWaits
        + "}";
  }
}
