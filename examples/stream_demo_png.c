/* stream_demo's spectrogram image: the log-mel of the whole clip in a
 * colormap, the speech segments marked, written with libpng. */
#include "stream_demo.h"

#include <png.h>

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* viridis at 9 evenly spaced stops (matplotlib's table, rounded). */
static const unsigned char k_viridis[9][3] = {
    {68, 1, 84},    {71, 44, 123},  {59, 82, 139},   {44, 114, 142}, {33, 145, 140},
    {40, 174, 128}, {94, 201, 98},  {173, 220, 48},  {253, 231, 37}};

static void colormap(double v, unsigned char *rgb) {
  if (!(v > 0.0)) v = 0.0; /* NaN too */
  if (v > 1.0) v = 1.0;
  double pos = v * 8.0;
  int i = (int)pos;
  if (i >= 8) i = 7;
  double f = pos - i;
  for (int c = 0; c < 3; ++c)
    rgb[c] = (unsigned char)lrint(k_viridis[i][c] + f * (k_viridis[i + 1][c] - k_viridis[i][c]));
}

/* A 3x5 font: digits, then 's'. Each row is 3 bits, the high bit left. */
static const unsigned char k_font[11][5] = {
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
    {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
    {0, 7, 4, 1, 7}};

typedef struct canvas_t {
  unsigned char *px;
  size_t w, h;
} canvas_t;

static void put(canvas_t *c, long x, long y, const unsigned char *rgb) {
  if (x < 0 || y < 0 || (size_t)x >= c->w || (size_t)y >= c->h) return;
  memcpy(c->px + ((size_t)y * c->w + (size_t)x) * 3, rgb, 3);
}

static void fill(canvas_t *c, long x0, long y0, long x1, long y1, const unsigned char *rgb) {
  for (long y = y0; y < y1; ++y)
    for (long x = x0; x < x1; ++x) put(c, x, y, rgb);
}

/* Text of digits and 's' at (x, y), each font pixel scale x scale. */
static void text(canvas_t *c, long x, long y, const char *s, int scale,
                 const unsigned char *rgb) {
  for (; *s; ++s, x += 4 * scale) {
    int g = *s == 's' ? 10 : (*s >= '0' && *s <= '9') ? *s - '0' : -1;
    if (g < 0) continue;
    for (int r = 0; r < 5; ++r)
      for (int b = 0; b < 3; ++b)
        if (k_font[g][r] & (4 >> b))
          fill(c, x + b * scale, y + r * scale, x + (b + 1) * scale, y + (r + 1) * scale, rgb);
  }
}

static int write_png(const char *path, const canvas_t *c, char *err, size_t err_cap) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    snprintf(err, err_cap, "cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!png || !info) {
    png_destroy_write_struct(&png, NULL);
    fclose(f);
    snprintf(err, err_cap, "libpng: out of memory");
    return -1;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    fclose(f);
    snprintf(err, err_cap, "libpng failed writing %s", path);
    return -1;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_text t[1];
  memset(t, 0, sizeof t);
  t[0].compression = PNG_TEXT_COMPRESSION_NONE;
  t[0].key = (png_charp) "Title";
  t[0].text = (png_charp) "libcore stream_demo: log-mel spectrogram, speech segments in green";
  png_set_text(png, info, t, 1);
  png_write_info(png, info);
  for (size_t y = 0; y < c->h; ++y) png_write_row(png, c->px + y * c->w * 3);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  if (fclose(f) != 0) {
    snprintf(err, err_cap, "cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

int demo_write_spectrogram_png(const char *path, const float *mel, size_t n_mels,
                               size_t n_frames, double frame_s, const demo_span_t *segs,
                               size_t n_segs, char *err, size_t err_cap) {
  if (n_mels == 0 || n_frames == 0) {
    snprintf(err, err_cap, "nothing to draw (%zu bands x %zu frames)", n_mels, n_frames);
    return -1;
  }
  /* Columns: one per frame, frames averaged when there are more than 3000,
   * widened when fewer than 600. Rows: about 240 for the bands. */
  size_t per_col = (n_frames + 2999) / 3000, cols = (n_frames + per_col - 1) / per_col;
  size_t sx = cols < 600 ? (600 + cols - 1) / cols : 1;
  size_t sy = n_mels < 240 ? 240 / n_mels : 1;
  const size_t img_h = n_mels * sy, gap = 2, bar_h = 10, axis_h = 18;
  canvas_t c = {NULL, cols * sx, img_h + gap + bar_h + axis_h};
  c.px = calloc(c.w * c.h, 3);
  if (!c.px) {
    snprintf(err, err_cap, "out of memory for a %zu x %zu image", c.w, c.h);
    return -1;
  }
  float lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n_mels * n_frames; ++i) {
    if (mel[i] < lo) lo = mel[i];
    if (mel[i] > hi) hi = mel[i];
  }
  double range = hi > lo ? (double)hi - lo : 1.0;
  const unsigned char bg[3] = {24, 24, 24}, speech[3] = {60, 220, 90}, white[3] = {255, 255, 255},
                      grey[3] = {170, 170, 170};
  fill(&c, 0, 0, (long)c.w, (long)c.h, bg);
  for (size_t col = 0; col < cols; ++col) {
    size_t t0 = col * per_col, t1 = t0 + per_col < n_frames ? t0 + per_col : n_frames;
    for (size_t m = 0; m < n_mels; ++m) {
      double v = 0.0;
      for (size_t t = t0; t < t1; ++t) v += mel[m * n_frames + t];
      unsigned char rgb[3];
      colormap((v / (double)(t1 - t0) - lo) / range, rgb);
      long y0 = (long)((n_mels - 1 - m) * sy); /* band 0 (lowest) at the bottom */
      fill(&c, (long)(col * sx), y0, (long)((col + 1) * sx), y0 + (long)sy, rgb);
    }
  }
  /* Segments: a green bar under the image, white lines at their edges. */
  double col_s = frame_s * (double)per_col / (double)sx; /* seconds per pixel */
  for (size_t i = 0; i < n_segs; ++i) {
    long x0 = lrint(segs[i].start / col_s), x1 = lrint(segs[i].end / col_s);
    if (x1 <= x0) x1 = x0 + 1;
    fill(&c, x0, (long)(img_h + gap), x1, (long)(img_h + gap + bar_h), speech);
    for (long y = 0; y < (long)img_h; y += 1) {
      if ((y / 4) % 2) continue; /* dashed, so the spectrogram shows through */
      put(&c, x0, y, white);
      put(&c, x1 - 1, y, white);
    }
  }
  /* Time axis: a tick every second, labelled every 1, 2, 5 or 10 s so the
   * labels do not touch. */
  double px_per_s = 1.0 / col_s;
  int step = px_per_s >= 40 ? 1 : px_per_s >= 20 ? 2 : px_per_s >= 8 ? 5 : 10;
  long axis_y = (long)(img_h + gap + bar_h);
  double total_s = (double)c.w * col_s;
  for (int s = 0; s <= (int)total_s; ++s) {
    long x = lrint(s * px_per_s);
    int labelled = s % step == 0;
    fill(&c, x, axis_y, x + 1, axis_y + (labelled ? 5 : 3), grey);
    char buf[16];
    snprintf(buf, sizeof buf, s == 0 ? "0 s" : "%d", s);
    if (labelled && x + 2 + 8 * (long)strlen(buf) <= (long)c.w) { /* fits */
      text(&c, x + 2, axis_y + 6, buf, 2, grey);
    }
  }
  int rc = write_png(path, &c, err, err_cap);
  free(c.px);
  return rc;
}
