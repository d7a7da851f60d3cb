/* Reads a whole file into a NUL-terminated buffer the caller frees; exits 2
 * when it cannot. Shared by the C test and bench/ffi_bench.c. */
#ifndef KMSWATCH_READ_FILE_H
#define KMSWATCH_READ_FILE_H

#include <stdio.h>
#include <stdlib.h>

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    data[size] = '\0';
    *len = (size_t)size;
    return data;
}

#endif
