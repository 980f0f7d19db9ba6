/* Runs `promtool check metrics` (Debian package prometheus) on the
 * Prometheus export of a registry holding every kind of metric, labels that
 * need escaping, empty and clamped timers, as histograms and as summaries.
 * Fails on any complaint (non-zero exit or any output); exits 77 (skip)
 * only when promtool is not installed.
 * usage: test_metrics_promtool [path to promtool] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <core/core.h>

static int failures = 0;

#define CHECK_OK(call)                                                                    \
  do {                                                                                    \
    core_status st_ = (call);                                                             \
    if (st_ != CORE_OK) {                                                                 \
      fprintf(stderr, "%s -> %s (%s)\n", #call, core_status_str(st_),                     \
              core_last_error_message());                                                 \
      exit(1);                                                                            \
    }                                                                                     \
  } while (0)

static char *export_text(core_metrics_t *m, unsigned flags) {
  size_t need = 0;
  if (core_metrics_export(m, CORE_METRICS_PROMETHEUS, flags, NULL, 0, &need) !=
      CORE_E_BUFFER_TOO_SMALL)
    exit(1);
  char *buf = malloc(need);
  CHECK_OK(core_metrics_export(m, CORE_METRICS_PROMETHEUS, flags, buf, need, &need));
  return buf;
}

/* TAP line for one promtool run over text. */
static void check(int n, const char *promtool, const char *what, const char *text) {
  char path[] = "/tmp/core_metrics_promXXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) exit(1);
  close(fd);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "'%s' check metrics < '%s' 2>&1", promtool, path);
  FILE *p = popen(cmd, "r");
  char out[8192];
  size_t got = p ? fread(out, 1, sizeof out - 1, p) : 0;
  out[got] = '\0';
  int rc = p ? pclose(p) : -1;
  unlink(path);
  if (rc == 0 && got == 0) {
    printf("ok %d - promtool check metrics accepts the %s export\n", n, what);
  } else {
    ++failures;
    printf("not ok %d - promtool check metrics accepts the %s export (status %d)\n", n, what, rc);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
      printf("#   promtool: %s\n", line);
    printf("# the text was:\n");
    char *copy = strdup(text);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) printf("#   %s\n", line);
    free(copy);
  }
}

int main(int argc, char **argv) {
  const char *promtool = argc > 1 && argv[1][0] ? argv[1] : NULL;
  if (promtool == NULL || access(promtool, X_OK) != 0) {
    printf("1..0 # SKIP promtool not found (install the Debian package prometheus)\n");
    fprintf(stderr, "SKIP: promtool not found (install the Debian package prometheus)\n");
    return 77;
  }
  core_metrics_t *m = NULL;
  CHECK_OK(core_metrics_create(NULL, &m));
  core_metric_id_t enc, enc_base, vad, empty, clamped, hits, bytes, level;
  core_metric_label_t l1[] = {{"model", "tiny \"en\"\\v1\nx"}, {"device", "cpu"}};
  core_metric_label_t l2[] = {{"model", "base"}, {"device", "gpu"}};
  CHECK_OK(core_metrics_timer(m, "lid.encoder_forward", "Encoder forward pass.\nPer window.",
                              l1, 2, &enc));
  CHECK_OK(core_metrics_timer(m, "lid.encoder_forward", NULL, l2, 2, &enc_base));
  CHECK_OK(core_metrics_timer(m, "vad.buffer_append", "Appending to the VAD ring.", NULL, 0,
                              &vad));
  CHECK_OK(core_metrics_timer(m, "never_used", "A timer with no value.", NULL, 0, &empty));
  CHECK_OK(core_metrics_timer(m, "clamped", "Out-of-range values.", NULL, 0, &clamped));
  CHECK_OK(core_metrics_counter(m, "encoder.cache_hits", "Encoder cache hits.", NULL, 0, &hits));
  CHECK_OK(core_metrics_counter(m, "audio_bytes_total", "Audio bytes read.", l2, 2, &bytes));
  CHECK_OK(core_metrics_gauge(m, "queue_depth", "Windows waiting.", NULL, 0, &level));
  for (int i = 0; i < 10000; ++i) {
    CHECK_OK(core_metrics_record_ns(m, enc, 1000000 + i * 997));
    CHECK_OK(core_metrics_record_ns(m, enc_base, 3000000 + i * 13));
    CHECK_OK(core_metrics_record_ns(m, vad, 50 + i % 700));
  }
  CHECK_OK(core_metrics_record_ns(m, clamped, -1));
  CHECK_OK(core_metrics_record_ns(m, clamped, INT64_MAX));
  CHECK_OK(core_metrics_counter_add(m, hits, 12345));
  CHECK_OK(core_metrics_counter_add(m, bytes, 1u << 30));
  CHECK_OK(core_metrics_gauge_set(m, level, -2.5e-7));

  printf("1..2\n");
  char *hist = export_text(m, 0);
  check(1, promtool, "histogram", hist);
  char *sum = export_text(m, CORE_METRICS_EXPORT_SUMMARY);
  check(2, promtool, "summary", sum);
  free(hist);
  free(sum);
  core_metrics_destroy(m);
  return failures ? 1 : 0;
}
