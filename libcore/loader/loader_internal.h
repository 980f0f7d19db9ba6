/* The loader's decision, separated from the once-per-process plumbing so
 * the tests can run every scenario (missing library, missing symbol, old
 * ABI, strict, disabled) in one process. Internal to libcore_loader.a. */
#ifndef LIBCORE_LOADER_INTERNAL_H
#define LIBCORE_LOADER_INTERNAL_H

#include <core/loader.h>

typedef struct core_loader_env {
  int disable;      /* LIBCORE_DISABLE set and not "" or "0" */
  int strict;       /* LIBCORE_STRICT set and not "" or "0" */
  const char *path; /* LIBCORE_PATH, or NULL */
} core_loader_env;

typedef enum core_loader_outcome {
  CORE_LOADER_NATIVE,   /* *table calls libcore.so */
  CORE_LOADER_FALLBACK, /* *table is the portable fallback; why says why */
  CORE_LOADER_REFUSED   /* strict mode and the load failed; why says why */
} core_loader_outcome;

/* The file dlopen is given when LIBCORE_PATH is not set. */
#define CORE_LOADER_DEFAULT_PATH "libcore.so.1"

/* Reads the environment variables listed in loader.h. */
void core_loader_read_env(core_loader_env *env);

/* Loads libcore as loader.h describes and fills *table; why (cap bytes) is
 * "" on success. On every failure the dlopen handle is closed. */
core_loader_outcome core_loader_choose(const core_loader_env *env, core_api_t *table,
                                       char *why, size_t cap);

/* Compares a native table with the fallback on a fixed input; 0 and a
 * reason in why when they disagree. */
int core_loader_self_test(const core_api_t *native, char *why, size_t cap);

#endif
