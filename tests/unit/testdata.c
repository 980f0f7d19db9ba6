#include "testdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CORE_SOURCE_ROOT
#error "the build passes -DCORE_SOURCE_ROOT=\"...\""
#endif

const char *td_find(const char *name) {
  static char path[4096];
  const char *dir = getenv("LIBCORE_TESTDATA");
  if (!dir || !*dir) dir = CORE_SOURCE_ROOT "/../shared/testdata";
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return NULL;
  return access(path, R_OK) == 0 ? path : NULL;
}

int td_required(void) {
  const char *v = getenv("LIBCORE_REQUIRE_TESTDATA");
  return v && strcmp(v, "1") == 0;
}

float *td_read_f32(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  float *x = NULL;
  long bytes = -1;
  if (fseek(f, 0, SEEK_END) == 0) bytes = ftell(f);
  if (bytes >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    *n = (size_t)bytes / sizeof(float);
    x = malloc(*n ? *n * sizeof(float) : 1);
    if (x && fread(x, sizeof(float), *n, f) != *n) {
      free(x);
      x = NULL;
    }
  }
  fclose(f);
  return x;
}
