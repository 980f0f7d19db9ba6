/* Multi-thread stress test of the metrics registry (metrics.h), whose
 * contract is that every call may run on any number of threads at once.
 *
 * Four worker threads record RECORDS each, all into the same metrics:
 *   - a shared timer "stress.latency", the worker's own series of it
 *     (label worker="t", registered by the worker while the others record),
 *     and a timer "stress.reset.latency" in a second registry; the values
 *     are deterministic per (worker, record) and include negative ones
 *     (underflows, recorded as 0) and ones above highest_ns (overflows,
 *     recorded as highest_ns); every 16th record also goes through
 *     core_metrics_start/stop into "stress.stop";
 *   - counters "stress.events" (+1 per record) and "stress.bytes" (+i % 5);
 *   - gauges "stress.inflight" (+1 before a record's calls, -1 after: it
 *     must always read an integer in [0, 4] and end at 0), "stress.total"
 *     (+1 per record), "stress.progress"{worker="t"} (set to the records
 *     done) and "stress.last" (every worker sets (t+1) * 2^32 + i: any value
 *     read must be 0, the initial value, or decode to a valid (t, i): no
 *     torn double);
 *   - 32 times during its run each worker registers "stress.dyn.<k>" (all
 *     four race to register the same name: they must all get the same id)
 *     and adds 1, a series "stress.own"{worker,step} of its own, and tries a
 *     kind conflict and an exported-name collision (both must fail with
 *     CORE_E_INVALID_ARGUMENT and this thread's own message).
 * Meanwhile an exporter thread loops: Prometheus export of the live
 * registry (through the needed-size protocol: the registry grows between
 * calls), a snapshot, its export twice (must be identical: a snapshot is
 * immutable), live queries, and every 4th pass the summary, JSON and table
 * exports. Each Prometheus text is parsed: HELP then TYPE once per family,
 * every sample of the family's kind, histogram buckets with increasing le
 * and non-decreasing cumulative counts, 25 finite buckets then +Inf equal
 * to _count, and every counter, bucket and _count never below its value in
 * any earlier text (the registry is never reset). A resetter thread loops
 * snapshot_and_reset on the second registry and merges each interval into
 * a third (core_metrics_merge_snapshot).
 * At the end the totals must be exact: counts, sums (of the clamped
 * values), min, max, underflows, overflows, counter sums, gauge values, the
 * number of metrics and the ids; the reset intervals must add up exactly to
 * what was recorded, and so must the registry they were merged into.
 * Worker 0 waits at its halfway point for two export passes and worker 1
 * for two resets, so at least one export and one reset provably see a
 * partial state (checked).
 *
 * usage: stress_metrics [RECORDS_PER_WORKER]   (default 1e6; at least 64)
 * Exit 0 when every check holds, 1 otherwise. Built against libcore.so by
 * meson (suite "stress") and from the metrics sources with -fsanitize=thread
 * by tsan.sh. */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#define NW 4      /* worker threads */
#define STEPS 32  /* dynamic registrations per worker */
#define KEYS 2048 /* slots of the monotonic-value table (about 350 series) */
#define KEYLEN 128
#define FAMS 128  /* families per export (about 42) */

static core_metrics_t *reg;  /* recorded into and exported concurrently */
static core_metrics_t *rreg; /* recorded into and snapshot_and_reset concurrently */
static core_metrics_t *acc;  /* the reset intervals merged back */
static uint64_t records;     /* per worker */
static uint64_t highest;     /* the registries' highest_ns */
static size_t prom_bounds;   /* finite le boundaries per histogram */
static atomic_int failed;
static atomic_int done; /* set once the workers are joined */
static atomic_ulong export_passes, reset_passes;

static core_metric_id_t id_lat, id_stop, id_events, id_bytes, id_inflight, id_total, id_last,
    id_rlat;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...) {
  if (atomic_fetch_add(&failed, 1) < 20) { /* the first few are enough */
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
  }
}

/* A call that must succeed. */
#define OK(call)                                                                   \
  do {                                                                             \
    core_status st_ = (call);                                                      \
    if (st_ != CORE_OK)                                                            \
      fail("line %d: %s -> %s: %s", __LINE__, #call, core_status_str(st_),       \
           core_last_error_message());                                             \
  } while (0)

/* ---- the recorded values ----------------------------------------------------- */

static int64_t value_of(int t, uint64_t i) {
  uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)(t + 1) * 0xbf58476d1ce4e5b9ull;
  x ^= x >> 31, x *= 0x94d049bb133111ebull, x ^= x >> 29; /* splitmix64 finalizer */
  if (i % 997 == 5) return -(int64_t)(x % 1000) - 1;               /* underflow */
  if (i % 991 == 7) return (int64_t)(highest + 1 + x % 1000);      /* overflow */
  return (int64_t)(x % 50000000u);                                 /* 0 .. 50 ms */
}

typedef struct worker {
  int t;
  core_metric_id_t lat_own, progress, dyn[STEPS], own[STEPS];
  uint64_t sum, min, max, under, over, bytes, stops; /* what the registry must hold */
} worker;

static void dynamic(worker *w, int k) {
  char name[48], ts[8], ks[8];
  snprintf(name, sizeof name, "stress.dyn.%d", k);
  snprintf(ts, sizeof ts, "%d", w->t);
  snprintf(ks, sizeof ks, "%d", k);
  core_metric_id_t id = UINT32_MAX;
  OK(core_metrics_counter(reg, name, "registered by every worker at once", NULL, 0, &id));
  w->dyn[k] = id;
  OK(core_metrics_counter_add(reg, id, 1));
  const core_metric_label_t labels[2] = {{"worker", ts}, {"step", ks}};
  OK(core_metrics_counter(reg, "stress.own", "one series per worker and step", labels, 2, &id));
  w->own[k] = id;
  OK(core_metrics_counter_add(reg, id, (uint64_t)k + 1));
  /* The same name as another kind, and a name whose exported name
   * (stress_events_total) is taken: refused, with this thread's message. */
  core_metric_id_t bad = 12345;
  core_status st = core_metrics_gauge(reg, name, NULL, NULL, 0, &bad);
  if (st != CORE_E_INVALID_ARGUMENT || bad != 12345 ||
      strncmp(core_last_error_message(), "core_metrics_gauge:", 19) != 0)
    fail("kind conflict on %s: status %d, id %u", name, st, bad);
  st = core_metrics_counter(reg, "stress-events", NULL, NULL, 0, &bad);
  if (st != CORE_E_INVALID_ARGUMENT || bad != 12345 ||
      strncmp(core_last_error_message(), "core_metrics_counter:", 21) != 0 ||
      strstr(core_last_error_message(), "stress.events") == NULL)
    fail("collision with stress.events: status %d, id %u", st, bad);
}

/* Waits until *passes has advanced by two (one whole pass ran after now). */
static void wait_passes(atomic_ulong *passes) {
  const unsigned long p = atomic_load(passes);
  while (atomic_load(passes) < p + 2 && atomic_load(&failed) == 0) sched_yield();
}

static void *work(void *arg) {
  worker *w = arg;
  const int t = w->t;
  char ts[8];
  snprintf(ts, sizeof ts, "%d", t);
  const core_metric_label_t label = {"worker", ts};
  core_metric_id_t id = UINT32_MAX;
  /* Registered while the other workers may already be recording. */
  OK(core_metrics_timer(reg, "stress.latency", NULL, &label, 1, &w->lat_own));
  OK(core_metrics_gauge(reg, "stress.progress", "records done", &label, 1, &w->progress));
  OK(core_metrics_timer(reg, "stress.latency", NULL, NULL, 0, &id));
  if (id != id_lat) fail("stress.latency registered again: id %u, not %u", id, id_lat);
  w->min = UINT64_MAX;
  const uint64_t step = records / STEPS;
  for (uint64_t i = 0; i < records && atomic_load_explicit(&failed, memory_order_relaxed) == 0;
       ++i) {
    if (i % step == 0 && i / step < STEPS) dynamic(w, (int)(i / step));
    if (i == records / 2 && t == 0) wait_passes(&export_passes);
    if (i == records / 2 && t == 1) wait_passes(&reset_passes);
    const int64_t v = value_of(t, i);
    const uint64_t c = v < 0 ? 0 : (uint64_t)v > highest ? highest : (uint64_t)v;
    w->sum += c;
    w->under += v < 0;
    w->over += v >= 0 && (uint64_t)v > highest;
    if (c < w->min) w->min = c;
    if (c > w->max) w->max = c;
    w->bytes += i % 5;
    OK(core_metrics_gauge_add(reg, id_inflight, 1.0));
    OK(core_metrics_record_ns(reg, id_lat, v));
    OK(core_metrics_record_ns(reg, w->lat_own, v));
    OK(core_metrics_record_ns(rreg, id_rlat, v));
    OK(core_metrics_counter_add(reg, id_events, 1));
    OK(core_metrics_counter_add(reg, id_bytes, i % 5));
    OK(core_metrics_gauge_set(reg, w->progress, (double)(i + 1)));
    OK(core_metrics_gauge_add(reg, id_total, 1.0));
    OK(core_metrics_gauge_set(reg, id_last, (double)(t + 1) * 4294967296.0 + (double)i));
    if ((i & 15) == 0) {
      OK(core_metrics_stop(reg, id_stop, core_metrics_start()));
      w->stops++;
    }
    OK(core_metrics_gauge_add(reg, id_inflight, -1.0));
  }
  return NULL;
}

/* ---- Prometheus text checks --------------------------------------------------------- */

/* The highest value each counter, bucket and _count series had in any text
 * parsed so far (open addressing on the series text before the value). */
typedef struct seen {
  char key[KEYS][KEYLEN];
  uint64_t v[KEYS];
} seen;

static uint64_t *seen_slot(seen *s, const char *key, size_t len) {
  if (len >= KEYLEN) {
    fail("series %.40s... is longer than %d", key, KEYLEN);
    return NULL;
  }
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; ++i) h = (h ^ (unsigned char)key[i]) * 1099511628211ull;
  for (size_t n = 0; n < KEYS; ++n, ++h) {
    char *k = s->key[h % KEYS];
    if (k[0] == '\0') {
      memcpy(k, key, len);
      k[len] = '\0';
      return &s->v[h % KEYS];
    }
    if (strncmp(k, key, len) == 0 && k[len] == '\0') return &s->v[h % KEYS];
  }
  fail("more than %d series", KEYS);
  return NULL;
}

/* What one parse found. */
typedef struct prom {
  uint64_t events;  /* stress_events_total */
  size_t families, samples;
} prom;

static int starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* Parses text (Prometheus 0.0.4 as libcore writes it), checks it as the
 * header comment says, and raises the values in *sn. summary: timers were
 * exported as summaries. Returns 0 when a check failed. */
static int check_prom(const char *text, seen *sn, int summary, prom *out) {
  static char fams[FAMS][KEYLEN]; /* only the exporter thread parses */
  char fam[KEYLEN] = "", type[16] = "", line[512];
  size_t nfam = 0, nbuckets = 0;
  uint64_t cum = 0, inf = 0;
  double le_prev = -1;
  int have_inf = 0, after_help = 0;
  const int failed0 = atomic_load(&failed);
  memset(out, 0, sizeof *out);
  out->events = UINT64_MAX;
  const size_t tlen = strlen(text);
  if (tlen == 0 || text[tlen - 1] != '\n') fail("text does not end in a newline (%zu bytes)", tlen);
  for (const char *p = text; *p && atomic_load(&failed) == failed0;) {
    const char *nl = strchr(p, '\n');
    if (nl == NULL) break;
    const size_t len = (size_t)(nl - p);
    if (len == 0 || len >= sizeof line) {
      fail("line of %zu bytes at offset %td", len, p - text);
      break;
    }
    memcpy(line, p, len);
    line[len] = '\0';
    p = nl + 1;
    if (starts(line, "# HELP ")) {
      const char *f = line + 7, *sp = strchr(f, ' ');
      const size_t fl = sp ? (size_t)(sp - f) : strlen(f);
      if (fl == 0 || fl >= KEYLEN || after_help || have_inf) {
        fail("misplaced or empty HELP: %s", line);
        break;
      }
      memcpy(fam, f, fl);
      fam[fl] = '\0';
      for (size_t i = 0; i < nfam; ++i)
        if (strcmp(fams[i], fam) == 0) fail("family %s appears twice", fam);
      if (nfam < FAMS) strcpy(fams[nfam++], fam);
      after_help = 1;
      continue;
    }
    if (starts(line, "# TYPE ")) {
      char f[KEYLEN + 1];
      if (!after_help || sscanf(line + 7, "%128s %15s", f, type) != 2 || strcmp(f, fam) != 0 ||
          (strcmp(type, "counter") && strcmp(type, "gauge") &&
           strcmp(type, summary ? "summary" : "histogram"))) {
        fail("bad TYPE line after HELP %s: %s", fam, line);
        break;
      }
      after_help = 0;
      continue;
    }
    /* A sample: series (name, optional {labels}) then a space and the value. */
    char *sp = strrchr(line, ' ');
    if (after_help || fam[0] == '\0' || sp == NULL || line[0] == '#') {
      fail("sample without HELP and TYPE: %s", line);
      break;
    }
    *sp = '\0';
    const char *key = line, *val = sp + 1;
    const size_t klen = strlen(key);
    const char *brace = strchr(key, '{');
    const size_t nlen = brace ? (size_t)(brace - key) : klen;
    if (brace && key[klen - 1] != '}') fail("unclosed labels: %s", key);
    const size_t flen = strlen(fam);
    const char *suffix = key + flen;
    if (nlen < flen || strncmp(key, fam, flen) != 0) {
      fail("sample %s outside its family %s", key, fam);
      break;
    }
    char sfx[16] = "";
    if (nlen - flen >= sizeof sfx) {
      fail("sample %s outside its family %s", key, fam);
      break;
    }
    memcpy(sfx, suffix, nlen - flen);
    sfx[nlen - flen] = '\0';
    const int timer = !strcmp(type, "histogram") || !strcmp(type, "summary");
    const int is_bucket = !strcmp(sfx, "_bucket"), is_count = !strcmp(sfx, "_count");
    if (timer ? !(sfx[0] == '\0' ? summary : (!summary && is_bucket) || is_count ||
                                             !strcmp(sfx, "_sum"))
              : sfx[0] != '\0') {
      fail("sample %s does not belong to a %s", key, type);
      break;
    }
    out->samples++;
    char *end;
    const int integer = !strcmp(type, "counter") || is_bucket || is_count;
    if (integer) {
      if (val[0] < '0' || val[0] > '9') {
        fail("value of %s is not a count: %s", key, val);
        break;
      }
      const unsigned long long v = strtoull(val, &end, 10);
      if (*end != '\0') {
        fail("value of %s is not a count: %s", key, val);
        break;
      }
      uint64_t *prev = seen_slot(sn, key, klen);
      if (prev == NULL) break;
      if (v < *prev) fail("%s went down from %llu to %llu", key, (unsigned long long)*prev, v);
      *prev = v;
      if (!strcmp(key, "stress_events_total")) out->events = v;
      if (is_bucket) {
        const char *le = strstr(key, "le=\"");
        if (le == NULL) {
          fail("bucket %s has no le", key);
          break;
        }
        le += 4;
        const double lev = starts(le, "+Inf\"") ? 1e300 : strtod(le, &end);
        if (have_inf) fail("bucket %s after +Inf without a _count", key);
        if (nbuckets > 0 && (lev <= le_prev || v < cum))
          fail("bucket %s: le or count decreased (count %llu after %llu)", key, v,
               (unsigned long long)cum);
        if (lev == 1e300) {
          if (nbuckets != prom_bounds)
            fail("%s: %zu finite buckets, not %zu", key, nbuckets, prom_bounds);
          have_inf = 1, inf = v, nbuckets = 0;
        } else {
          if (*end != '"') fail("bucket %s: bad le", key);
          ++nbuckets, le_prev = lev, cum = v;
        }
      } else if (is_count && timer) {
        if (!summary && !have_inf) fail("%s without a +Inf bucket", key);
        if (!summary && v != inf) fail("%s = %llu, but its +Inf bucket holds %llu", key, v, (unsigned long long)inf);
        have_inf = 0, nbuckets = 0, cum = 0;
      }
    } else {
      const double v = strtod(val, &end);
      if (*end != '\0' || end == val) {
        fail("value of %s is not a number: %s", key, val);
        break;
      }
      if (!strcmp(key, "stress_inflight") && (v != (double)(int)v || v < 0 || v > NW))
        fail("%s = %s: not an integer in [0, %d]", key, val, NW);
      if (!strcmp(key, "stress_total") && (v != (double)(uint64_t)v || v < 0 ||
                                            v > (double)(NW * records)))
        fail("%s = %s: no count of records", key, val);
      if (!strcmp(key, "stress_last")) {
        const uint64_t b = (uint64_t)v;
        if (v != (double)b || (b != 0 && ((b >> 32) < 1 || (b >> 32) > NW ||
                                          (b & 0xffffffffu) >= records)))
          fail("%s = %s decodes to no (worker, record)", key, val);
      }
      if (starts(key, "stress_progress{")) {
        /* A gauge, but each worker's only goes up: kept in the table too. */
        uint64_t *prev = seen_slot(sn, key, klen);
        if (prev == NULL) break;
        if (v != (double)(uint64_t)v || v > (double)records || (uint64_t)v < *prev)
          fail("%s went from %llu to %s (or past the end)", key, (unsigned long long)*prev, val);
        else
          *prev = (uint64_t)v;
      }
    }
  }
  if (after_help || have_inf) fail("text ends inside family %s", fam);
  out->families = nfam;
  return atomic_load(&failed) == failed0;
}

/* Exports m (or s) into *buf through the needed-size protocol: the first
 * call asks with the current capacity, a CORE_E_BUFFER_TOO_SMALL grows the
 * buffer to *needed (the registry may have grown again by the retry).
 * Returns the text, or NULL after a failure. */
static const char *export_text(core_metrics_t *m, const core_metrics_snapshot_t *s,
                               core_metrics_format format, unsigned flags, char **buf,
                               size_t *cap) {
  for (int tries = 0; tries < 100; ++tries) {
    size_t needed = 0;
    const core_status st = m ? core_metrics_export(m, format, flags, *buf, *cap, &needed)
                             : core_metrics_snapshot_export(s, format, flags, *buf, *cap, &needed);
    if (st == CORE_OK) {
      if (strlen(*buf) + 1 != needed) fail("export: *needed %zu, text %zu bytes + NUL", needed, strlen(*buf));
      return *buf;
    }
    if (st != CORE_E_BUFFER_TOO_SMALL || needed <= *cap) {
      fail("export: %s (%s, needed %zu)", core_last_error_message(), core_status_str(st),
           needed);
      return NULL;
    }
    free(*buf);
    *cap = needed + needed / 8;
    *buf = malloc(*cap);
    if (*buf == NULL) {
      fail("out of memory (%zu bytes)", *cap);
      *cap = 0;
      return NULL;
    }
  }
  fail("export: 100 retries did not fit");
  return NULL;
}

/* JSON: an object, brackets balanced outside strings. */
static void check_json(const char *j) {
  int depth = 0, in_str = 0, bad = j[0] != '{';
  for (const char *p = j; *p && !bad; ++p) {
    if (in_str) {
      if (*p == '\\') ++p;
      else if (*p == '"') in_str = 0;
    } else if (*p == '"') in_str = 1;
    else if (*p == '{' || *p == '[') ++depth;
    else if (*p == '}' || *p == ']') bad = --depth < 0;
  }
  if (bad || depth != 0 || in_str) fail("JSON export is not balanced (depth %d, in a string %d)", depth, in_str);
}

typedef struct exporter_state {
  unsigned long passes, partial; /* passes; texts with 0 < events < total */
  size_t max_families;
} exporter_state;

static void *export_loop(void *arg) {
  exporter_state *es = arg;
  static seen sn; /* about 270 KiB: static, not on the thread's stack */
  char *buf = NULL, *buf2 = NULL, *buf3 = NULL;
  size_t cap = 0, cap2 = 0, cap3 = 0;
  size_t snap_n = 0;
  uint64_t snap_count = 0, snap_events = 0;
  for (;;) {
    const int last = atomic_load(&done);
    prom pr;
    const char *text = export_text(reg, NULL, CORE_METRICS_PROMETHEUS, 0, &buf, &cap);
    if (text == NULL || !check_prom(text, &sn, 0, &pr)) break;
    if (pr.events == UINT64_MAX) fail("stress_events_total is missing");
    if (pr.events > 0 && pr.events < NW * records) es->partial++;
    if (pr.families > es->max_families) es->max_families = pr.families;

    /* A snapshot, taken after that export: its values are at least the
     * text's (same table), and its export does not change. */
    core_metrics_snapshot_t *s = NULL;
    OK(core_metrics_snapshot(reg, &s));
    if (s == NULL) break;
    const size_t n = core_metrics_snapshot_count(s);
    if (n < snap_n || n > core_metrics_count(reg))
      fail("snapshot of %zu metrics (previous %zu)", n, snap_n);
    snap_n = n;
    core_timer_stats_t ts = {.struct_size = sizeof ts}, live = {.struct_size = sizeof live};
    uint64_t ev = 0, live_ev = 0, p50 = 0;
    OK(core_metrics_snapshot_timer_stats(s, id_lat, &ts));
    OK(core_metrics_snapshot_counter(s, id_events, &ev));
    if (ts.count < snap_count || ev < snap_events || (ts.count > 0 && ts.min_ns > ts.max_ns))
      fail("snapshot went back: count %llu, events %llu", (unsigned long long)ts.count,
           (unsigned long long)ev);
    snap_count = ts.count, snap_events = ev;
    OK(core_metrics_timer_stats(reg, id_lat, &live));
    OK(core_metrics_counter_get(reg, id_events, &live_ev));
    if (live.count < ts.count || live_ev < ev)
      fail("live registry behind its snapshot: count %llu, events %llu",
           (unsigned long long)live.count, (unsigned long long)live_ev);
    const core_status pst = core_metrics_percentile(reg, id_lat, 0.5, &p50);
    if (pst != CORE_OK && !(pst == CORE_E_EMPTY && live.count == 0))
      fail("percentile: %s (%s)", core_last_error_message(), core_status_str(pst));
    const char *a = export_text(NULL, s, CORE_METRICS_PROMETHEUS, 0, &buf2, &cap2);
    const char *b = a ? export_text(NULL, s, CORE_METRICS_PROMETHEUS, 0, &buf3, &cap3) : NULL;
    if (a == NULL || b == NULL || !check_prom(a, &sn, 0, &pr)) {
      core_metrics_snapshot_destroy(s);
      break;
    }
    if (strcmp(a, b) != 0) fail("a snapshot exported twice gave two texts");
    core_metrics_snapshot_destroy(s);

    if (es->passes % 4 == 0) {
      /* Summaries (percentiles of a live copy; their _count lines share the
       * histogram's keys in the table), JSON and the table format. */
      const char *t = export_text(reg, NULL, CORE_METRICS_PROMETHEUS,
                                  CORE_METRICS_EXPORT_SUMMARY, &buf2, &cap2);
      if (t == NULL || !check_prom(t, &sn, 1, &pr)) break;
      t = export_text(reg, NULL, CORE_METRICS_JSON, 0, &buf2, &cap2);
      if (t == NULL) break;
      check_json(t);
      t = export_text(reg, NULL, CORE_METRICS_TABLE, 0, &buf2, &cap2);
      if (t == NULL || strstr(t, "stress.latency") == NULL)
        fail("table export lacks stress.latency");
    }
    es->passes++;
    atomic_fetch_add(&export_passes, 1);
    if (last || atomic_load(&failed)) break;
  }
  free(buf), free(buf2), free(buf3);
  return NULL;
}

/* ---- the resetter ----------------------------------------------------------------- */

typedef struct resetter_state {
  unsigned long passes, partial; /* intervals; intervals neither empty nor everything */
  uint64_t count, sum, under, over;
} resetter_state;

static void *reset_loop(void *arg) {
  resetter_state *rs = arg;
  for (;;) {
    const int last = atomic_load(&done);
    core_metrics_snapshot_t *s = NULL;
    OK(core_metrics_snapshot_and_reset(rreg, &s));
    if (s == NULL) break;
    core_timer_stats_t ts = {.struct_size = sizeof ts};
    OK(core_metrics_snapshot_timer_stats(s, id_rlat, &ts));
    rs->count += ts.count, rs->sum += ts.sum_ns, rs->under += ts.underflows,
        rs->over += ts.overflows;
    if (ts.count > 0 && ts.count < NW * records) rs->partial++;
    OK(core_metrics_merge_snapshot(acc, s));
    core_metrics_snapshot_destroy(s);
    rs->passes++;
    atomic_fetch_add(&reset_passes, 1);
    if (last || atomic_load(&failed)) break;
  }
  return NULL;
}

/* ---- main ---------------------------------------------------------------------------- */

static void expect_u64(const char *what, uint64_t got, uint64_t want) {
  if (got != want)
    fail("%s: %llu, expected %llu", what, (unsigned long long)got, (unsigned long long)want);
}

static void expect_timer(const char *what, const core_metrics_t *m, core_metric_id_t id,
                         uint64_t count, uint64_t sum, uint64_t min, uint64_t max,
                         uint64_t under, uint64_t over) {
  core_timer_stats_t s = {.struct_size = sizeof s};
  OK(core_metrics_timer_stats(m, id, &s));
  char w[96];
  snprintf(w, sizeof w, "%s count", what), expect_u64(w, s.count, count);
  snprintf(w, sizeof w, "%s sum", what), expect_u64(w, s.sum_ns, sum);
  snprintf(w, sizeof w, "%s min", what), expect_u64(w, s.min_ns, min);
  snprintf(w, sizeof w, "%s max", what), expect_u64(w, s.max_ns, max);
  snprintf(w, sizeof w, "%s underflows", what), expect_u64(w, s.underflows, under);
  snprintf(w, sizeof w, "%s overflows", what), expect_u64(w, s.overflows, over);
}

static void expect_gauge(const char *what, core_metric_id_t id, double want) {
  double v = -1;
  OK(core_metrics_gauge_get(reg, id, &v));
  if (v != want) fail("%s: %.17g, expected %.17g", what, v, want);
}

static void expect_counter(const char *what, core_metric_id_t id, uint64_t want) {
  uint64_t v = 0;
  OK(core_metrics_counter_get(reg, id, &v));
  expect_u64(what, v, want);
}

int main(int argc, char **argv) {
  records = argc > 1 ? (uint64_t)strtod(argv[1], NULL) : 1000000u;
  if (records < 2 * STEPS || records >= (1ull << 32)) {
    fprintf(stderr, "usage: stress_metrics [RECORDS_PER_WORKER]   (64 .. 2^32-1)\n");
    return 2;
  }
  core_metrics_options_t o;
  if (core_metrics_options_init(&o) != CORE_OK) return 1;
  highest = o.highest_ns;
  if (core_metrics_create(&o, &reg) != CORE_OK || core_metrics_create(&o, &rreg) != CORE_OK ||
      core_metrics_create(&o, &acc) != CORE_OK) {
    fprintf(stderr, "create: %s\n", core_last_error_message());
    return 1;
  }
  /* The number of le boundaries the default layout exports (25 for 1 h). */
  {
    size_t needed = 0;
    core_metric_id_t id;
    core_metrics_t *probe = NULL;
    if (core_metrics_create(&o, &probe) != CORE_OK ||
        core_metrics_timer(probe, "probe", NULL, NULL, 0, &id) != CORE_OK ||
        core_metrics_export(probe, CORE_METRICS_PROMETHEUS, 0, NULL, 0, &needed) !=
            CORE_E_BUFFER_TOO_SMALL)
      return 1;
    char *text = malloc(needed);
    if (text == NULL ||
        core_metrics_export(probe, CORE_METRICS_PROMETHEUS, 0, text, needed, &needed) != CORE_OK)
      return 1;
    for (const char *p = text; (p = strstr(p, "probe_seconds_bucket{le=\"")) != NULL; ++p)
      if (!starts(p + 25, "+Inf")) ++prom_bounds;
    free(text);
    core_metrics_destroy(probe);
  }
  OK(core_metrics_timer(reg, "stress.latency", "shared by every worker", NULL, 0, &id_lat));
  OK(core_metrics_timer(reg, "stress.stop", "start/stop pairs", NULL, 0, &id_stop));
  OK(core_metrics_counter(reg, "stress.events", NULL, NULL, 0, &id_events));
  OK(core_metrics_counter(reg, "stress.bytes", NULL, NULL, 0, &id_bytes));
  OK(core_metrics_gauge(reg, "stress.inflight", NULL, NULL, 0, &id_inflight));
  OK(core_metrics_gauge(reg, "stress.total", NULL, NULL, 0, &id_total));
  OK(core_metrics_gauge(reg, "stress.last", NULL, NULL, 0, &id_last));
  OK(core_metrics_timer(rreg, "stress.reset.latency", NULL, NULL, 0, &id_rlat));
  if (atomic_load(&failed)) return 1;

  const uint64_t t0 = core_now_ns();
  exporter_state es = {0};
  resetter_state rs = {0};
  pthread_t exp_th, res_th, th[NW];
  worker w[NW];
  memset(w, 0, sizeof w);
  if (pthread_create(&exp_th, NULL, export_loop, &es) != 0 ||
      pthread_create(&res_th, NULL, reset_loop, &rs) != 0)
    return 1;
  for (int t = 0; t < NW; ++t) {
    w[t].t = t;
    if (pthread_create(&th[t], NULL, work, &w[t]) != 0) return 1;
  }
  for (int t = 0; t < NW; ++t) pthread_join(th[t], NULL);
  atomic_store(&done, 1); /* each loop makes one more pass, which sees everything */
  pthread_join(exp_th, NULL);
  pthread_join(res_th, NULL);
  const double secs = (double)(core_now_ns() - t0) / 1e9;

  /* Exact totals. */
  uint64_t sum = 0, under = 0, over = 0, bytes = 0, stops = 0, min = UINT64_MAX, max = 0;
  for (int t = 0; t < NW; ++t) {
    char what[48];
    snprintf(what, sizeof what, "stress.latency{worker=%d}", t);
    expect_timer(what, reg, w[t].lat_own, records, w[t].sum, w[t].min, w[t].max, w[t].under,
                 w[t].over);
    snprintf(what, sizeof what, "stress.progress{worker=%d}", t);
    expect_gauge(what, w[t].progress, (double)records);
    sum += w[t].sum, under += w[t].under, over += w[t].over, bytes += w[t].bytes;
    stops += w[t].stops;
    if (w[t].min < min) min = w[t].min;
    if (w[t].max > max) max = w[t].max;
  }
  const uint64_t total = NW * records;
  expect_timer("stress.latency", reg, id_lat, total, sum, min, max, under, over);
  core_timer_stats_t st = {.struct_size = sizeof st};
  OK(core_metrics_timer_stats(reg, id_stop, &st));
  expect_u64("stress.stop count", st.count, stops);
  expect_counter("stress.events", id_events, total);
  expect_counter("stress.bytes", id_bytes, bytes);
  expect_gauge("stress.inflight", id_inflight, 0.0);
  expect_gauge("stress.total", id_total, (double)total);
  double lastv = 0;
  OK(core_metrics_gauge_get(reg, id_last, &lastv));
  int last_ok = 0;
  for (int t = 0; t < NW; ++t)
    last_ok |= lastv == (double)(t + 1) * 4294967296.0 + (double)(records - 1);
  if (!last_ok) fail("stress.last = %.17g is no worker's last value", lastv);

  /* Registration: every worker got the same id for each stress.dyn.<k>,
   * each own series its own id, and nothing else was added. */
  core_metric_id_t ids[NW * STEPS];
  for (int k = 0; k < STEPS; ++k) {
    char name[48];
    snprintf(name, sizeof name, "stress.dyn.%d", k);
    core_metric_id_t id = UINT32_MAX;
    core_metric_kind kind = CORE_METRIC_TIMER;
    OK(core_metrics_find(reg, name, &id, &kind));
    if (kind != CORE_METRIC_COUNTER) fail("%s is of kind %d", name, (int)kind);
    for (int t = 0; t < NW; ++t)
      if (w[t].dyn[k] != id) fail("%s: worker %d got id %u, find says %u", name, t, w[t].dyn[k], id);
    expect_counter(name, id, NW);
    for (int t = 0; t < NW; ++t) {
      expect_counter("stress.own", w[t].own[k], (uint64_t)k + 1);
      ids[t * STEPS + k] = w[t].own[k];
    }
  }
  for (int i = 0; i < NW * STEPS; ++i)
    for (int j = 0; j < i; ++j)
      if (ids[i] == ids[j]) fail("two stress.own series share id %u", ids[i]);
  const size_t metrics = core_metrics_count(reg);
  expect_u64("metrics registered", metrics, 7 + 2 * NW + STEPS + NW * STEPS);

  /* The reset intervals add up to exactly what was recorded; so does the
   * registry they were merged into (min and max exactly too: min is 0 and
   * max highest_ns when there were underflows and overflows, which a reset
   * interval's bucket-consistency clamp cannot move). */
  expect_u64("reset intervals count", rs.count, total);
  expect_u64("reset intervals sum", rs.sum, sum);
  expect_u64("reset intervals underflows", rs.under, under);
  expect_u64("reset intervals overflows", rs.over, over);
  core_timer_stats_t left = {.struct_size = sizeof left};
  OK(core_metrics_timer_stats(rreg, id_rlat, &left));
  expect_u64("reset registry left over", left.count, 0);
  core_metric_id_t acc_id = UINT32_MAX;
  OK(core_metrics_find(acc, "stress.reset.latency", &acc_id, NULL));
  if (under > 0 && over > 0)
    expect_timer("merged intervals", acc, acc_id, total, sum, 0, highest, under, over);
  else
    fail("no underflow or overflow recorded (%llu records)", (unsigned long long)records);

  /* Partial states were seen (the halfway waits guarantee one each). */
  if (es.partial == 0) fail("no export saw a partial state (%lu passes)", es.passes);
  if (rs.partial == 0) fail("no reset interval was partial (%lu passes)", rs.passes);

  printf("stress_metrics: %d threads x %llu records, %lu exports (%lu mid-run, up to %zu "
         "families), %lu resets (%lu partial), %zu metrics, %.2f s: %s\n",
         NW, (unsigned long long)records, es.passes, es.partial, es.max_families, rs.passes,
         rs.partial, metrics, secs, atomic_load(&failed) ? "FAIL" : "ok");
  core_metrics_destroy(reg);
  core_metrics_destroy(rreg);
  core_metrics_destroy(acc);
  return atomic_load(&failed) ? 1 : 0;
}
