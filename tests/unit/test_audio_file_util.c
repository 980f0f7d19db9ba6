/* Helpers of the audio-file suites; see test_audio_file_util.h. */
#define _GNU_SOURCE
#include "test_audio_file_util.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary directory ---------------------------------------------------- */

static char dir[64];

void af_dir_make(void) {
  strcpy(dir, "/tmp/libcore_afile_XXXXXX");
  cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
}

void af_dir_remove(void) {
  /* A permission test may have dropped root's effective uid. */
  if (getuid() == 0 && geteuid() != 0 && seteuid(0) != 0) return;
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  char path[512];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (unlink(path) != 0) rmdir(path);
  }
  closedir(d);
  rmdir(dir);
}

const char *af_dir(void) { return dir; }

const char *af_path(const char *name) {
  static char paths[8][512];
  static int next;
  char *path = paths[next++ % 8];
  snprintf(path, sizeof paths[0], "%s/%s", dir, name);
  return path;
}

/* ---- files ------------------------------------------------------------------------ */

void af_write_file(const char *path, const void *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot create %s", path);
  cr_assert_eq(len ? fwrite(bytes, 1, len, f) : 0, len, "short write to %s", path);
  cr_assert_eq(fclose(f), 0);
}

unsigned char *af_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  cr_assert_eq(fseek(f, 0, SEEK_END), 0);
  const long size = ftell(f);
  cr_assert_geq(size, 0);
  rewind(f);
  unsigned char *b = malloc((size_t)size + 1);
  cr_assert_not_null(b);
  cr_assert_eq(fread(b, 1, (size_t)size, f), (size_t)size);
  fclose(f);
  *len = (size_t)size;
  return b;
}

static void put16(unsigned char *p, uint16_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = (unsigned char)(v >> (8 * i));
}

void af_write_wav(const char *path, uint16_t tag, uint16_t channels, uint32_t rate,
                  uint16_t bits, const void *data, uint32_t data_len, uint32_t declared) {
  unsigned char *b = malloc(44 + (size_t)data_len);
  cr_assert_not_null(b);
  const uint16_t align = (uint16_t)(channels * (bits / 8));
  memcpy(b, "RIFF", 4);
  /* The RIFF size follows the declared data, as a writer that was cut
   * short would have left it. */
  put32(b + 4, declared == 0xFFFFFFFFu ? 0xFFFFFFFFu : 36 + declared);
  memcpy(b + 8, "WAVEfmt ", 8);
  put32(b + 16, 16);
  put16(b + 20, tag);
  put16(b + 22, channels);
  put32(b + 24, rate);
  put32(b + 28, rate * align);
  put16(b + 32, align);
  put16(b + 34, bits);
  memcpy(b + 36, "data", 4);
  put32(b + 40, declared);
  if (data_len) memcpy(b + 44, data, data_len);
  af_write_file(path, b, 44 + (size_t)data_len);
  free(b);
}

void af_write_wav16(const char *path, uint16_t channels, uint32_t rate, const int16_t *x,
                    size_t samples) {
  unsigned char *d = malloc(2 * samples + 1);
  cr_assert_not_null(d);
  for (size_t i = 0; i < samples; ++i) put16(d + 2 * i, (uint16_t)x[i]);
  af_write_wav(path, 1, channels, rate, 16, d, (uint32_t)(2 * samples), (uint32_t)(2 * samples));
  free(d);
}

/* ---- reading and comparing ------------------------------------------------------- */

enum { kGuard = 16 };
static const float kGuardValue = -12345.5f;

float *af_read_all(const char *path, uint32_t rate, size_t *n) {
  size_t need = 0;
  const core_status st = core_audio_read(path, rate, NULL, 0, &need);
  cr_assert(st == CORE_E_BUFFER_TOO_SMALL || (st == CORE_OK && need == 0),
            "size query of %s at %u -> %s (%s)", path, rate, core_status_str(st),
            core_last_error_message());
  float *x = malloc((need + kGuard) * sizeof(float));
  cr_assert_not_null(x);
  for (size_t i = 0; i < need + kGuard; ++i) x[i] = kGuardValue;
  size_t got = 0;
  AF_OK(core_audio_read(path, rate, x, need + kGuard, &got));
  cr_assert_eq(got, need, "%s at %u: read %zu samples, the size query said %zu", path, rate,
               got, need);
  for (size_t i = need; i < need + kGuard; ++i)
    cr_assert_eq(x[i], kGuardValue, "%s: out[%zu] written past the count %zu", path, i, need);
  *n = got;
  return x;
}

size_t af_first_nonfinite(const float *x, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!isfinite(x[i])) return i;
  return n;
}

af_diff af_compare(const float *a, const float *b, size_t n) {
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) ma += a[i], mb += b[i];
  ma /= (double)n, mb /= (double)n;
  double sab = 0, saa = 0, sbb = 0, sd = 0, mx = 0;
  for (size_t i = 0; i < n; ++i) {
    const double da = a[i] - ma, db = b[i] - mb, d = (double)a[i] - (double)b[i];
    sab += da * db, saa += da * da, sbb += db * db, sd += d * d;
    if (fabs(d) > mx) mx = fabs(d);
  }
  af_diff r = {sab / sqrt(saa * sbb), sqrt(sd / (double)n), mx};
  return r;
}

core_audio_info_t af_info_sentinel(void) {
  core_audio_info_t info;
  memset(&info, 0x77, sizeof info);
  info.struct_size = sizeof info;
  return info;
}
