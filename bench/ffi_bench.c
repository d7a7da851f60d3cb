/*
 * libkmswatch timed from C (bench/ffi_bench.sh runs it).
 *
 *   ffi_bench evaluate FACTS.json CALLS   median and p90 microseconds per kmswatch_evaluate
 *                                         (report freed each call)
 *   ffi_bench match LINES.jsonl RUNS      kmswatch_pattern_matches with the CIS pattern
 *                                         over every line, median of RUNS passes
 */
#include "kmswatch.h"
#include "read_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char CIS[] =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
    "($.eventName = ScheduleKeyDeletion)) }";

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int evaluate(const char *path, int calls) {
    size_t len;
    char *facts = read_file(path, &len);
    double *us = malloc((size_t)calls * sizeof *us);
    for (int i = 0; i < calls; i++) {
        char *report = NULL;
        double start = now();
        int code = kmswatch_evaluate(facts, len, &report, NULL);
        kmswatch_free_string(report);
        us[i] = (now() - start) * 1e6;
        if (code != KMSWATCH_PASS) {
            fprintf(stderr, "%s: code %d\n", path, code);
            return 1;
        }
    }
    qsort(us, (size_t)calls, sizeof *us, by_value);
    printf("c_evaluate %d calls: median %.1f us, p90 %.1f us\n", calls, us[calls / 2],
           us[calls * 9 / 10]);
    free(us);
    free(facts);
    return 0;
}

static int match(const char *path, int runs) {
    size_t len;
    char *data = read_file(path, &len);
    size_t count = 0, cap = 1 << 20;
    const char **lines = malloc(cap * sizeof *lines);
    size_t *lens = malloc(cap * sizeof *lens);
    for (char *p = data, *end = data + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n) {
            if (count == cap) {
                cap *= 2;
                lines = realloc(lines, cap * sizeof *lines);
                lens = realloc(lens, cap * sizeof *lens);
            }
            lines[count] = p;
            lens[count++] = n;
        }
        p += n + 1;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < count; i++) bytes += lens[i];

    kmswatch_pattern *cis = kmswatch_pattern_new(CIS, strlen(CIS), NULL);
    double *seconds = malloc((size_t)runs * sizeof *seconds);
    long matched = 0;
    for (int r = 0; r < runs; r++) {
        matched = 0;
        double start = now();
        for (size_t i = 0; i < count; i++) matched += kmswatch_pattern_matches(cis, lines[i], lens[i]) == 1;
        seconds[r] = now() - start;
    }
    qsort(seconds, (size_t)runs, sizeof *seconds, by_value);
    double median = seconds[runs / 2];
    printf("%-24s %9.3f %12.0f %8.0f %ld\n", "c_kmswatch_pattern_matches", median, (double)count / median,
           (double)bytes / median / 1e6, matched);
    kmswatch_pattern_free(cis);
    free(seconds);
    free(lines);
    free(lens);
    free(data);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "evaluate") == 0) return evaluate(argv[2], atoi(argv[3]));
    if (argc == 4 && strcmp(argv[1], "match") == 0) return match(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: %s evaluate FACTS.json CALLS | match LINES.jsonl RUNS\n", argv[0]);
    return 2;
}
