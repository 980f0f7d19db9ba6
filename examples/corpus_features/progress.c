/* corpus_features: the progress bar and the summary table, on stderr.
 *
 * The bar is redrawn in place ('\r') on a terminal, at most 10 times a
 * second; elsewhere (--progress into a log) it is one line per update, at
 * most one a second, so a log of a long run stays readable. Rates count
 * the files processed in this run only (resumed files cost nothing and
 * would inflate files/s).
 *
 * The table's latencies come from the metrics registry the library fills
 * (collection.read, .stats, .vad, .logmel, .write per chunk; .file per
 * file): p50 and p99 by core_metrics_percentile (nearest rank, within
 * the histogram's 1%), max exact from core_metrics_timer_stats. A stage
 * that never ran (--no-vad, no --features) shows "-". */
#include "corpus_features.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BAR_WIDTH 24

void cf_progress_init(cf_progress *p, int enabled, size_t total) {
  memset(p, 0, sizeof *p);
  p->enabled = enabled;
  p->tty = enabled && isatty(STDERR_FILENO);
  p->total = total;
  p->start_ns = core_now_ns();
}

static double elapsed_s(const cf_progress *p) {
  return (double)(core_now_ns() - p->start_ns) * 1e-9;
}

static void draw(cf_progress *p) {
  double t = elapsed_s(p);
  size_t processed = p->done - p->skipped;
  double fps = t > 0 ? (double)processed / t : 0.0;
  double ahps = t > 0 ? p->audio_seconds / 3600.0 / t : 0.0;
  size_t fill = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;
  char bar[BAR_WIDTH + 1];
  for (size_t i = 0; i < BAR_WIDTH; ++i) bar[i] = i < fill ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  char eta[32] = "-";
  if (fps > 0 && p->done < p->total) {
    double s = (double)(p->total - p->done) / fps;
    if (s < 3600)
      snprintf(eta, sizeof eta, "%dm%02ds", (int)(s / 60), (int)s % 60);
    else
      snprintf(eta, sizeof eta, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
  }
  fprintf(stderr, "%s[%s] %zu/%zu files  %.1f files/s  %.4f audio-h/s  %zu failed  ETA %s%s",
          p->tty ? "\r" : "", bar, p->done, p->total, fps, ahps, p->failed, eta,
          p->tty ? "\033[K" : "\n");
  fflush(stderr);
  p->drawn = p->tty;
  p->last_draw_ns = core_now_ns();
}

void cf_progress_file(cf_progress *p, core_status status, double audio_seconds, int resumed) {
  p->done++;
  if (resumed)
    p->skipped++;
  else if (status == CORE_OK)
    p->ok++;
  else
    p->failed++;
  if (status == CORE_OK && !resumed) p->audio_seconds += audio_seconds;
  if (!p->enabled) return;
  uint64_t period = p->tty ? 100000000u : 1000000000u;
  if (core_now_ns() - p->last_draw_ns >= period) draw(p);
}

void cf_progress_finish(cf_progress *p) {
  if (!p->enabled) return;
  draw(p);
  if (p->drawn) fputc('\n', stderr);
  p->drawn = 0;
}

/* ns as "812ns", "12.3us", "4.56ms", "1.23s". */
static void fmt_ns(char *out, size_t cap, uint64_t ns) {
  if (ns < 1000)
    snprintf(out, cap, "%" PRIu64 "ns", ns);
  else if (ns < 1000000)
    snprintf(out, cap, "%.1fus", (double)ns * 1e-3);
  else if (ns < 1000000000)
    snprintf(out, cap, "%.2fms", (double)ns * 1e-6);
  else
    snprintf(out, cap, "%.2fs", (double)ns * 1e-9);
}

static void stage_row(core_metrics_t *m, const char *name, const char *per) {
  core_metric_id_t id;
  core_metric_kind kind;
  char p50[32] = "-", p99[32] = "-", mx[32] = "-";
  uint64_t count = 0;
  /* Not registered (a stage that never ran) or empty: dashes. Any other
   * failure is a bug worth seeing, not a blank. */
  core_status st = m ? core_metrics_find(m, name, &id, &kind) : CORE_E_NOT_FOUND;
  if (st == CORE_OK && kind == CORE_METRIC_TIMER) {
    core_timer_stats_t ts;
    memset(&ts, 0, sizeof ts);
    ts.struct_size = sizeof ts;
    uint64_t v50 = 0, v99 = 0;
    st = core_metrics_timer_stats(m, id, &ts);
    if (st == CORE_OK && ts.count > 0) {
      count = ts.count;
      st = core_metrics_percentile(m, id, 0.5, &v50);
      if (st == CORE_OK) st = core_metrics_percentile(m, id, 0.99, &v99);
      if (st == CORE_OK) {
        fmt_ns(p50, sizeof p50, v50);
        fmt_ns(p99, sizeof p99, v99);
        fmt_ns(mx, sizeof mx, ts.max_ns);
      }
    }
  }
  if (st != CORE_OK && st != CORE_E_NOT_FOUND && st != CORE_E_EMPTY)
    fprintf(stderr, CF_PROG ": metrics %s: %s: %s\n", name, core_status_str(st),
            core_last_error_message());
  fprintf(stderr, "  %-20s %-6s %10" PRIu64 " %10s %10s %10s\n", name, per, count, p50, p99, mx);
}

void cf_summary_table(const cf_progress *p, core_metrics_t *m) {
  double wall = elapsed_s(p);
  size_t processed = p->ok + p->failed;
  fprintf(stderr, "corpus_features summary\n");
  fprintf(stderr, "  %-20s %zu\n", "files", p->done);
  fprintf(stderr, "  %-20s %zu\n", "ok", p->ok);
  fprintf(stderr, "  %-20s %zu\n", "failed", p->failed);
  fprintf(stderr, "  %-20s %zu\n", "skipped (resumed)", p->skipped);
  fprintf(stderr, "  %-20s %.4f\n", "audio hours", p->audio_seconds / 3600.0);
  fprintf(stderr, "  %-20s %.3f\n", "wall seconds", wall);
  if (wall > 0) {
    fprintf(stderr, "  %-20s %.1fx\n", "real-time factor", p->audio_seconds / wall);
    fprintf(stderr, "  %-20s %.2f\n", "files/s", (double)processed / wall);
  } else {
    fprintf(stderr, "  %-20s -\n  %-20s -\n", "real-time factor", "files/s");
  }
  fprintf(stderr, "\n  %-20s %-6s %10s %10s %10s %10s\n", "stage", "per", "count", "p50", "p99",
          "max");
  static const char *const stages[] = {"collection.read", "collection.stats",
                                       "collection.vad", "collection.logmel",
                                       "collection.write"};
  for (size_t i = 0; i < sizeof stages / sizeof *stages; ++i)
    stage_row(m, stages[i], "chunk");
  stage_row(m, "collection.file", "file");
}
