/*
 * bindings/collection_shim.h — core_collection_run for the SWIG bindings.
 *
 * core_collection_run reports each file through a C callback, on one of
 * libcore's threads. Calling into a JVM, the CLR or Go from there (a
 * foreign thread, once per file) would cost an attach per file and tie
 * each binding to its runtime's threading rules; instead this shim, which
 * every binding compiles into its own wrapper library (bindings/core.i
 * includes it), runs the collection with a C callback that keeps each
 * file's record, and the language reads them afterwards, in input order.
 * Only plain strings, sizes and doubles cross the boundary, which SWIG
 * maps natively in every language: no array typemaps.
 *
 *   corebind_collection *c = corebind_collection_new();
 *   corebind_collection_add(c, "a.wav", "a.npy");     // output may be NULL
 *   corebind_collection_run(c, &opts);                  // core_status
 *   corebind_collection_json(c, 0);                     // the JSON record
 *   corebind_collection_free(c);
 *
 * A collection runs once: run refuses a second call (add the files to a
 * new one). Records are in the order files were added; a file the run did
 * not reach (the run failed before it) has status CORE_E_UNAVAILABLE, an
 * empty JSON record and a message saying so. Not thread-safe: one thread
 * at a time per collection (the run itself is parallel inside libcore).
 * Not part of libcore's ABI: static functions of each wrapper.
 */
#ifndef CORE_BINDINGS_COLLECTION_SHIM_H
#define CORE_BINDINGS_COLLECTION_SHIM_H

#include <core/collection.h>

#include <stdlib.h>
#include <string.h>

typedef struct corebind_record {
  char *path, *output; /* as added (output may be NULL) */
  char *json;          /* core_file_summary_json's line, NULL until reported */
  char *message;       /* the file's message, NULL until reported */
  core_status status;
  double duration, speech, rms;
  uint64_t samples, mel_frames;
  size_t segments;     /* segments_total */
} corebind_record;

typedef struct corebind_collection {
  corebind_record *v;
  size_t n, cap;
  int ran;
  int oom; /* a record could not be kept */
} corebind_collection;

static char *corebind_strdup(const char *s) {
  if (s == NULL) return NULL;
  const size_t len = strlen(s) + 1;
  char *d = (char *)malloc(len);
  if (d != NULL) memcpy(d, s, len);
  return d;
}

static corebind_collection *corebind_collection_new(void) {
  return (corebind_collection *)calloc(1, sizeof(corebind_collection));
}

static void corebind_collection_free(corebind_collection *c) {
  if (c == NULL) return;
  for (size_t i = 0; i < c->n; ++i) {
    free(c->v[i].path);
    free(c->v[i].output);
    free(c->v[i].json);
    free(c->v[i].message);
  }
  free(c->v);
  free(c);
}

/* Adds a file (and where its .npy goes, or NULL). CORE_E_INVALID_ARGUMENT
 * for c or path NULL or a collection that already ran;
 * CORE_E_OUT_OF_MEMORY. */
static core_status corebind_collection_add(corebind_collection *c, const char *path,
                                           const char *output) {
  if (c == NULL || path == NULL || c->ran) return CORE_E_INVALID_ARGUMENT;
  if (c->n == c->cap) {
    const size_t cap = c->cap ? 2 * c->cap : 16;
    corebind_record *v = (corebind_record *)realloc(c->v, cap * sizeof *v);
    if (v == NULL) return CORE_E_OUT_OF_MEMORY;
    c->v = v;
    c->cap = cap;
  }
  corebind_record *r = &c->v[c->n];
  memset(r, 0, sizeof *r);
  r->path = corebind_strdup(path);
  r->output = output != NULL ? corebind_strdup(output) : NULL;
  if (r->path == NULL || (output != NULL && r->output == NULL)) {
    free(r->path);
    free(r->output);
    return CORE_E_OUT_OF_MEMORY;
  }
  r->status = CORE_E_UNAVAILABLE;
  ++c->n;
  return CORE_OK;
}

static int corebind_collection_keep(const core_file_summary_t *s, void *user) {
  corebind_collection *c = (corebind_collection *)user;
  corebind_record *r = &c->v[s->index];
  size_t len = 0;
  r->status = s->status;
  r->duration = s->duration;
  r->speech = s->speech;
  r->rms = s->rms;
  r->samples = s->samples;
  r->mel_frames = s->mel_frames;
  r->segments = s->segments_total;
  r->message = corebind_strdup(s->message);
  if (core_file_summary_json(s, NULL, 0, &len) == CORE_E_BUFFER_TOO_SMALL) {
    r->json = (char *)malloc(len + 1);
    if (r->json != NULL && core_file_summary_json(s, r->json, len + 1, &len) != CORE_OK) {
      free(r->json);
      r->json = NULL;
    }
  }
  if (r->message == NULL || r->json == NULL) c->oom = 1;
  return 0;
}

/* Runs core_collection_run over the files added, with opts (NULL: the
 * defaults). Its statuses, plus CORE_E_INVALID_ARGUMENT for c NULL or a
 * second run and CORE_E_OUT_OF_MEMORY when a record could not be kept
 * (the run itself completed). */
static core_status corebind_collection_run(corebind_collection *c,
                                           const core_collection_options_t *opts) {
  if (c == NULL || c->ran) return CORE_E_INVALID_ARGUMENT;
  c->ran = 1;
  const char **paths = (const char **)malloc((c->n ? c->n : 1) * sizeof *paths);
  const char **outs = (const char **)malloc((c->n ? c->n : 1) * sizeof *outs);
  if (paths == NULL || outs == NULL) {
    free(paths);
    free(outs);
    return CORE_E_OUT_OF_MEMORY;
  }
  for (size_t i = 0; i < c->n; ++i) {
    paths[i] = c->v[i].path;
    outs[i] = c->v[i].output;
  }
  const core_status st =
      core_collection_run(paths, c->n, outs, opts, corebind_collection_keep, c);
  free(paths);
  free(outs);
  if (st == CORE_OK && c->oom) return CORE_E_OUT_OF_MEMORY;
  return st;
}

/* Files added. */
static size_t corebind_collection_count(const corebind_collection *c) {
  return c != NULL ? c->n : 0;
}

/* File i's record, or a default for i out of range / not reported: the
 * JSON line ("" then), status, message, and the summary's numbers. */
static const corebind_record *corebind_collection_at(const corebind_collection *c, size_t i) {
  return c != NULL && i < c->n ? &c->v[i] : NULL;
}
static const char *corebind_collection_json(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL && r->json != NULL ? r->json : "";
}
static const char *corebind_collection_path(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->path : "";
}
static int corebind_collection_status(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? (int)r->status : (int)CORE_E_INVALID_ARGUMENT;
}
static const char *corebind_collection_message(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  if (r == NULL) return "no such file index";
  if (r->message == NULL) return "not reached: the run stopped before this file";
  return r->message;
}
static double corebind_collection_duration(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->duration : 0.0;
}
static double corebind_collection_speech(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->speech : 0.0;
}
static double corebind_collection_rms(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->rms : 0.0;
}
static uint64_t corebind_collection_samples(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->samples : 0;
}
static uint64_t corebind_collection_mel_frames(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->mel_frames : 0;
}
static size_t corebind_collection_segments(const corebind_collection *c, size_t i) {
  const corebind_record *r = corebind_collection_at(c, i);
  return r != NULL ? r->segments : 0;
}

#endif /* CORE_BINDINGS_COLLECTION_SHIM_H */
