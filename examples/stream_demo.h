/* stream_demo's PNG part (stream_demo_png.c), split from stream_demo.c. */
#ifndef STREAM_DEMO_H
#define STREAM_DEMO_H

#include <stddef.h>
#include <stdint.h>

/* A speech segment in seconds. */
typedef struct demo_span_t {
  double start, end;
} demo_span_t;

/* Writes the log-mel spectrogram mel[n_mels x n_frames] (mel-major, as
 * core_logmel_compute gives it; frame t covers t * frame_s seconds) to
 * path as an RGB PNG: time left to right, low frequencies at the bottom,
 * a colormap from the lowest to the highest value, the speech segments as
 * white lines on the image and a green bar under it, a tick every second.
 * Returns 0, or -1 with a message in err[0, err_cap). */
int demo_write_spectrogram_png(const char *path, const float *mel, size_t n_mels,
                               size_t n_frames, double frame_s, const demo_span_t *segs,
                               size_t n_segs, char *err, size_t err_cap);

#endif
