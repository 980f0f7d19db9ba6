/* corpus_features: the pieces of the command-line tool, split by
 * responsibility (see README "Corpus tool" for the contract it follows):
 *
 *   main.c      options, the run's flow, exit status
 *   inputs.c    INPUT (a folder walked in sorted order, or a list file) to
 *               a list of paths with their output <name>s; duplicate names
 *   outputs.c   the per-file JSON sidecar (written atomically) and the
 *               --resume check
 *   progress.c  the progress bar and the summary table (from the metrics
 *               registry)
 *
 * Internal to the tool; not an installed header. */
#ifndef CORPUS_FEATURES_H
#define CORPUS_FEATURES_H

#include <core/collection.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CF_PROG "corpus_features"

/* ---- inputs.c ---------------------------------------------------------- */

/* One input file. */
typedef struct cf_input {
  char *path;          /* as given to the library and printed in "path" */
  char *name;          /* <name>: the output name without extension, or
                          NULL when the entry has none (a folder that
                          could not be read) */
  core_status status;  /* CORE_OK, or why it fails before the library
                          (duplicate name, unreadable folder) */
  char *message;       /* that failure's message (NULL when CORE_OK) */
} cf_input;

typedef struct cf_inputs {
  cf_input *v;
  size_t n, cap;
} cf_inputs;

/* Reads INPUT (a folder, or a list file) into *out. Entries under the
 * folder whose device and inode are skip_dev / skip_ino (the --out folder
 * when it lies inside INPUT) are not walked; skip_ino 0 skips nothing.
 * Returns 0, or -1 with a message in err (INPUT missing or unreadable: a
 * usage error, nothing processed). Then marks the later of two inputs with
 * the same <name> as failed (CORE_E_INVALID_ARGUMENT). */
int cf_inputs_load(const char *input, uint64_t skip_dev, uint64_t skip_ino,
                   cf_inputs *out, char *err, size_t errcap);
void cf_inputs_free(cf_inputs *in);

/* rel without its extension (os.path.splitext's rule: the last '.' of the
 * basename, unless only dots precede it). A malloc'd string or NULL (out
 * of memory). */
char *cf_strip_extension(const char *rel);

/* ---- outputs.c --------------------------------------------------------- */

/* Creates DIR and checks that a file can be made in it (a probe file
 * created and removed, so a read-only file system or missing permission is
 * found before anything runs). Returns 0, or -1 with err set. */
int cf_out_prepare(const char *dir, char *err, size_t errcap);

/* Creates the folders DIR/<name> needs (mirrored subfolders). 0 or -1
 * with errno set. */
int cf_out_mkdirs(const char *dir, const char *name);

/* malloc'd DIR/<name><suffix>, or NULL (out of memory). */
char *cf_out_path(const char *dir, const char *name, const char *suffix);

/* Writes line + "\n" to path + ".partial", then renames it to path, so
 * that path exists only when complete. 0, or -1 with errno set (the
 * partial file is removed). */
int cf_write_atomic(const char *path, const char *line, size_t len);

/* The --resume check: reads json_path and returns a malloc'd copy of its
 * line (without the newline) when it is one complete line whose record
 * is this file's (path equal to `path`, rate equal to `rate`) and has
 * status "CORE_OK", and, when npy_path is not NULL, that file exists.
 * Else NULL: the file is processed again. */
char *cf_resume_line(const char *json_path, const char *npy_path, const char *path,
                     uint32_t rate);

/* Formats s with core_file_summary_json into *buf (grown as needed).
 * Returns the length, or (size_t)-1 on failure (message on stderr). */
size_t cf_format_json(const core_file_summary_t *s, char **buf, size_t *cap);

/* ---- progress.c -------------------------------------------------------- */

typedef struct cf_progress {
  int enabled;          /* draw the bar */
  int tty;              /* stderr is a terminal: redraw with '\r' */
  size_t total;         /* files in the run (resumed ones included) */
  size_t done;          /* files reported (resumed ones included) */
  size_t ok, failed, skipped;
  double audio_seconds; /* of the files processed OK in this run */
  uint64_t start_ns;
  uint64_t last_draw_ns;
  int drawn;            /* a '\r' line is pending on the terminal */
} cf_progress;

void cf_progress_init(cf_progress *p, int enabled, size_t total);
/* Counts one file (status; audio seconds when OK; resumed: skipped) and
 * redraws when due (at most 10 times a second on a terminal, once a
 * second otherwise). */
void cf_progress_file(cf_progress *p, core_status status, double audio_seconds, int resumed);
/* The last bar (always drawn when enabled), ending its line. */
void cf_progress_finish(cf_progress *p);

/* The summary table on stderr: counts, audio hours, wall seconds, the
 * real-time factor, files/s and the per-stage latencies of the
 * collection.* timers of m (NULL: none). */
void cf_summary_table(const cf_progress *p, core_metrics_t *m);

#endif /* CORPUS_FEATURES_H */
