/* Unit tests for metrics.h: timers (accuracy on 10^6 log-normal samples,
 * concurrent exact totals, out-of-range clamping), counters, gauges,
 * start/stop, snapshots, snapshot_and_reset and merges. */
#include <math.h>
#include <pthread.h>

#include "test_metrics_util.h"

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

Test(metrics, percentile_accuracy_lognormal) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t id = timer_of(m, "accuracy");
  const size_t n = 1000000;
  uint64_t *v = malloc(n * sizeof *v);
  tu_rng rng = tu_rng_make(42);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    /* log-normal around 1 ms, sigma 1.5: spans ns to seconds */
    double x = exp(tu_normal(&rng, log(1e6), 1.5));
    v[i] = (uint64_t)llround(x < 1 ? 1 : x);
    sum += v[i];
    OK(core_metrics_record_ns(m, id, (int64_t)v[i]));
  }
  qsort(v, n, sizeof *v, cmp_u64);
  const double qs[] = {0.5, 0.9, 0.95, 0.99, 0.999};
  for (size_t k = 0; k < sizeof qs / sizeof qs[0]; ++k) {
    size_t rank = (size_t)ceil(qs[k] * (double)n);
    uint64_t exact = v[rank - 1], got = 0;
    OK(core_metrics_percentile(m, id, qs[k], &got));
    double rel = fabs((double)got - (double)exact) / (double)exact;
    cr_expect_leq(rel, 0.01, "q=%g: got %llu, exact %llu, rel err %g", qs[k],
                  (unsigned long long)got, (unsigned long long)exact, rel);
  }
  core_timer_stats_t s = tstats(m, id);
  cr_expect_eq(s.count, n);
  cr_expect_eq(s.sum_ns, sum);
  cr_expect_eq(s.min_ns, v[0]);
  cr_expect_eq(s.max_ns, v[n - 1]);
  cr_expect(fabs(s.mean_ns - (double)sum / n) < 1e-6 * s.mean_ns);
  long double mean = (long double)sum / n, m2 = 0;
  for (size_t i = 0; i < n; ++i) m2 += ((long double)v[i] - mean) * ((long double)v[i] - mean);
  double sd = (double)sqrtl(m2 / n);
  cr_expect_leq(fabs(s.stddev_ns - sd) / sd, 0.01, "stddev %g vs %g", s.stddev_ns, sd);
  uint64_t p0, p1;
  OK(core_metrics_percentile(m, id, 0.0, &p0));
  OK(core_metrics_percentile(m, id, 1.0, &p1));
  cr_expect_eq(p0, v[0]);
  cr_expect_eq(p1, v[n - 1]);
  free(v);
  core_metrics_destroy(m);
}

Test(metrics, small_values_exact) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t id = timer_of(m, "small");
  for (int64_t i = 0; i < 200; ++i) OK(core_metrics_record_ns(m, id, i));
  uint64_t p;
  OK(core_metrics_percentile(m, id, 0.5, &p));
  cr_expect_eq(p, 99); /* rank 100 of 0..199 */
  core_metrics_destroy(m);
}

typedef struct { core_metrics_t *m; core_metric_id_t t, c, g; int k; } worker_arg;
static void *worker(void *p) {
  worker_arg *a = p;
  for (int i = 0; i < 200000; ++i) {
    if (core_metrics_record_ns(a->m, a->t, (int64_t)(a->k * 1000 + i % 5000)) != CORE_OK) abort();
    if (core_metrics_counter_add(a->m, a->c, 2) != CORE_OK) abort();
    if (core_metrics_gauge_add(a->m, a->g, 1.0) != CORE_OK) abort();
  }
  return NULL;
}

Test(metrics, concurrent_exact_totals) {
  core_metrics_t *m = metrics_make();
  worker_arg a[4];
  pthread_t th[4];
  core_metric_id_t t = timer_of(m, "conc"), c, g;
  OK(core_metrics_counter(m, "conc_events", NULL, NULL, 0, &c));
  OK(core_metrics_gauge(m, "conc_level", NULL, NULL, 0, &g));
  uint64_t want_sum = 0;
  for (int k = 0; k < 4; ++k) {
    a[k] = (worker_arg){m, t, c, g, k};
    for (int i = 0; i < 200000; ++i) want_sum += (uint64_t)(k * 1000 + i % 5000);
    pthread_create(&th[k], NULL, worker, &a[k]);
  }
  for (int k = 0; k < 4; ++k) pthread_join(th[k], NULL);
  core_timer_stats_t s = tstats(m, t);
  cr_expect_eq(s.count, 800000);
  cr_expect_eq(s.sum_ns, want_sum);
  cr_expect_eq(s.min_ns, 0);
  cr_expect_eq(s.max_ns, 3000 + 4999);
  uint64_t cv;
  double gv;
  OK(core_metrics_counter_get(m, c, &cv));
  OK(core_metrics_gauge_get(m, g, &gv));
  cr_expect_eq(cv, 1600000);
  cr_expect_eq(gv, 800000.0);
  core_metrics_destroy(m);
}

Test(metrics, out_of_range_clamped_and_counted) {
  core_metrics_options_t o;
  OK(core_metrics_options_init(&o));
  o.highest_ns = 1000000; /* 1 ms */
  core_metrics_t *m = NULL;
  OK(core_metrics_create(&o, &m));
  core_metric_id_t id = timer_of(m, "range");
  OK(core_metrics_record_ns(m, id, -5));
  OK(core_metrics_record_ns(m, id, INT64_MIN));
  OK(core_metrics_record_ns(m, id, 2000000));
  OK(core_metrics_record_ns(m, id, INT64_MAX));
  OK(core_metrics_record_ns(m, id, 500));
  core_timer_stats_t s = tstats(m, id);
  cr_expect_eq(s.count, 5);
  cr_expect_eq(s.underflows, 2);
  cr_expect_eq(s.overflows, 2);
  cr_expect_eq(s.min_ns, 0);
  cr_expect_eq(s.max_ns, 1000000);
  cr_expect_eq(s.sum_ns, 2000500);
  uint64_t p;
  OK(core_metrics_percentile(m, id, 1.0, &p));
  cr_expect_eq(p, 1000000);
  core_metrics_destroy(m);
}

Test(metrics, empty_timer) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t id = timer_of(m, "empty");
  core_timer_stats_t s = tstats(m, id);
  cr_expect_eq(s.count, 0);
  cr_expect_eq(s.min_ns, 0);
  cr_expect_eq(s.max_ns, 0);
  uint64_t p = 7;
  ERR(CORE_E_EMPTY, "core_metrics_percentile", core_metrics_percentile(m, id, 0.5, &p));
  cr_expect_eq(p, 7);
  core_metrics_destroy(m);
}

Test(metrics, start_stop_and_clock) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t id = timer_of(m, "stage");
  uint64_t a = core_now_ns(), b = core_now_ns();
  cr_expect_geq(b, a);
  uint64_t t0 = core_metrics_start();
  struct timespec ts = {0, 2000000};
  nanosleep(&ts, NULL);
  OK(core_metrics_stop(m, id, t0));
  OK(core_metrics_stop(m, id, core_now_ns() + 1000000000)); /* future start: underflow */
  core_timer_stats_t s = tstats(m, id);
  cr_expect_eq(s.count, 2);
  cr_expect_eq(s.underflows, 1);
  cr_expect_geq(s.max_ns, 2000000);
  core_metrics_destroy(m);
}

Test(metrics, counters_and_gauges) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t c, g;
  OK(core_metrics_counter(m, "requests", NULL, NULL, 0, &c));
  OK(core_metrics_gauge(m, "queue", NULL, NULL, 0, &g));
  OK(core_metrics_counter_add(m, c, 5));
  OK(core_metrics_counter_add(m, c, 0));
  OK(core_metrics_gauge_set(m, g, 2.5));
  OK(core_metrics_gauge_add(m, g, -1.0));
  uint64_t cv;
  double gv;
  OK(core_metrics_counter_get(m, c, &cv));
  OK(core_metrics_gauge_get(m, g, &gv));
  cr_expect_eq(cv, 5);
  cr_expect_eq(gv, 1.5);
  cr_expect_eq(core_metrics_count(m), 2);
  core_metric_id_t f;
  core_metric_kind k;
  OK(core_metrics_find(m, "queue", &f, &k));
  cr_expect_eq(f, g);
  cr_expect_eq(k, CORE_METRIC_GAUGE);
  core_metrics_destroy(m);
}

Test(metrics, snapshot_and_reset_intervals) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t = timer_of(m, "interval"), c;
  OK(core_metrics_counter(m, "n", NULL, NULL, 0, &c));
  for (int i = 1; i <= 100; ++i) OK(core_metrics_record_ns(m, t, i * 1000));
  OK(core_metrics_counter_add(m, c, 3));
  core_metrics_snapshot_t *s1 = NULL, *s2 = NULL;
  OK(core_metrics_snapshot_and_reset(m, &s1));
  for (int i = 1; i <= 10; ++i) OK(core_metrics_record_ns(m, t, 7));
  OK(core_metrics_snapshot(m, &s2));
  core_timer_stats_t a = {.struct_size = sizeof a}, b = {.struct_size = sizeof b};
  OK(core_metrics_snapshot_timer_stats(s1, t, &a));
  OK(core_metrics_snapshot_timer_stats(s2, t, &b));
  cr_expect_eq(a.count, 100);
  cr_expect_eq(a.max_ns, 100000);
  cr_expect_eq(b.count, 10);
  cr_expect_eq(b.min_ns, 7);
  cr_expect_eq(b.max_ns, 7);
  uint64_t cv;
  OK(core_metrics_snapshot_counter(s2, c, &cv));
  cr_expect_eq(cv, 3, "counters are not reset");
  uint64_t p;
  OK(core_metrics_snapshot_percentile(s1, t, 0.5, &p));
  cr_expect(llabs((long long)p - 50000) <= 500, "p50 %llu", (unsigned long long)p);
  /* merge snapshot s2 into s1: 110 values */
  OK(core_metrics_snapshot_merge(s1, s2));
  OK(core_metrics_snapshot_timer_stats(s1, t, &a));
  cr_expect_eq(a.count, 110);
  cr_expect_eq(a.min_ns, 7);
  OK(core_metrics_snapshot_counter(s1, c, &cv));
  cr_expect_eq(cv, 6);
  core_metrics_snapshot_destroy(s1);
  core_metrics_snapshot_destroy(s2);
  core_metrics_snapshot_destroy(NULL);
  core_metrics_destroy(m);
}

Test(metrics, merge_registries) {
  core_metrics_t *a = metrics_make(), *b = metrics_make();
  core_metric_id_t ta = timer_of(a, "shared"), tb = timer_of(b, "shared"), only, bc, ag;
  OK(core_metrics_timer(b, "only_b", NULL, NULL, 0, &only));
  OK(core_metrics_counter(b, "hits", NULL, NULL, 0, &bc));
  OK(core_metrics_gauge(a, "mem", NULL, NULL, 0, &ag));
  for (int i = 0; i < 50; ++i) OK(core_metrics_record_ns(a, ta, 100));
  for (int i = 0; i < 30; ++i) OK(core_metrics_record_ns(b, tb, 1000000));
  OK(core_metrics_record_ns(b, only, 42));
  OK(core_metrics_counter_add(b, bc, 9));
  OK(core_metrics_merge(a, b));
  core_timer_stats_t s = tstats(a, ta);
  cr_expect_eq(s.count, 80);
  cr_expect_eq(s.min_ns, 100);
  cr_expect_eq(s.max_ns, 1000000);
  core_metric_id_t id;
  core_metric_kind k;
  OK(core_metrics_find(a, "only_b", &id, &k));
  cr_expect_eq(k, CORE_METRIC_TIMER);
  cr_expect_eq(tstats(a, id).count, 1);
  OK(core_metrics_find(a, "hits", &id, &k));
  uint64_t cv;
  OK(core_metrics_counter_get(a, id, &cv));
  cr_expect_eq(cv, 9);
  /* a kind conflict fails and changes nothing */
  core_metrics_t *c = metrics_make();
  core_metric_id_t x;
  OK(core_metrics_counter(c, "shared", NULL, NULL, 0, &x));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_merge", "already registered",
         core_metrics_merge(a, c));
  cr_expect_eq(tstats(a, ta).count, 80);
  core_metrics_destroy(a);
  core_metrics_destroy(b);
  core_metrics_destroy(c);
}

Test(metrics, merge_different_layouts) {
  core_metrics_options_t o;
  OK(core_metrics_options_init(&o));
  o.significant_digits = 3;
  core_metrics_t *fine = NULL, *coarse = metrics_make();
  OK(core_metrics_create(&o, &fine));
  core_metric_id_t tf = timer_of(fine, "t"), tc = timer_of(coarse, "t");
  for (int i = 0; i < 1000; ++i) OK(core_metrics_record_ns(fine, tf, 123456 + i));
  OK(core_metrics_merge(coarse, fine));
  uint64_t p;
  OK(core_metrics_percentile(coarse, tc, 0.5, &p));
  cr_expect_leq(fabs((double)p - 123956.0) / 123956.0, 0.01, "p50 %llu", (unsigned long long)p);
  core_metrics_destroy(fine);
  core_metrics_destroy(coarse);
}
