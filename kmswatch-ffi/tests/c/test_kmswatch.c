/*
 * libkmswatch from C: evaluate and plan facts documents, compile and match
 * filter patterns, search the bundled CloudTrail log files (read from
 * examples/cloudtrail, relative to the working directory: the repository, as
 * tests/run.sh runs it), bad input, and calls from several threads at once.
 *
 *   test_kmswatch CORPUS_LINES EXAMPLE.json:EXPECTED_CODE ...
 *
 * CORPUS_LINES holds one corpus record a line as "<cis><disable_only>\t<json>":
 * whether the CIS pattern and `{ $.eventName = DisableKey }` must match the
 * record (1 or 0), computed from the record's fields by tests/run.sh.
 * EXPECTED_CODE is the exit code of `kmswatch check --snapshot EXAMPLE.json`.
 *
 * Prints one line per failed check and ends with "c: N passed, N failed";
 * exits 1 when any check failed. Run under valgrind by tests/run.sh.
 */
#include "kmswatch.h"
#include "read_file.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        pthread_mutex_lock(&count_lock);                     \
        if (cond) {                                          \
            passed++;                                        \
        } else {                                             \
            failed++;                                        \
            fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                    \
            fputc('\n', stderr);                             \
        }                                                    \
        pthread_mutex_unlock(&count_lock);                   \
    } while (0)

static const char CIS[] =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
    "($.eventName = ScheduleKeyDeletion)) }";
static const char DISABLE_ONLY[] = "{ $.eventName = DisableKey }";
static const char NEVER[] = "{ $.eventName = DisableKey && $.eventName = ScheduleKeyDeletion }";

struct corpus_line {
    int cis, disable_only;
    char *json;
    size_t len;
};

/* Splits CORPUS_LINES in place; the lines point into `data`. */
static size_t load_corpus(char *data, struct corpus_line **out) {
    size_t count = 0, cap = 64;
    struct corpus_line *lines = malloc(cap * sizeof *lines);
    for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        if (!tab || tab - line != 2) {
            fprintf(stderr, "malformed corpus line: %.40s\n", line);
            exit(2);
        }
        if (count == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[count].cis = line[0] == '1';
        lines[count].disable_only = line[1] == '1';
        lines[count].json = tab + 1;
        lines[count].len = strlen(tab + 1);
        count++;
    }
    *out = lines;
    return count;
}

/* The value of the first `"key": "..."` in a pretty-printed document. */
static int has_member(const char *doc, const char *key, const char *value) {
    char needle[256];
    snprintf(needle, sizeof needle, "\"%s\": \"%s\"", key, value);
    return strstr(doc, needle) != NULL;
}

static const char *first_status(const char *doc) {
    const char *s = strstr(doc, "\"status\": \"");
    return s ? s + strlen("\"status\": \"") : "";
}

static int status_fits(int code, const char *doc) {
    const char *s = first_status(doc);
    switch (code) {
    case KMSWATCH_PASS: return strncmp(s, "PASS\"", 5) == 0;
    case KMSWATCH_FAIL: return strncmp(s, "FAIL\"", 5) == 0;
    case KMSWATCH_ERROR: return strncmp(s, "ERROR\"", 6) == 0 || strncmp(s, "MANUAL\"", 7) == 0;
    default: return 0;
    }
}

static void test_examples(int argc, char **argv) {
    static const char OPTIONS[] = "{\"email\": \"secops@example.com\"}";
    for (int i = 0; i < argc; i++) {
        char *spec = argv[i];
        char *colon = strrchr(spec, ':');
        if (!colon) {
            fprintf(stderr, "expected EXAMPLE:CODE, got %s\n", spec);
            exit(2);
        }
        *colon = '\0';
        int expected = atoi(colon + 1);
        size_t len;
        char *facts = read_file(spec, &len);

        char *report = NULL;
        size_t report_len = 0;
        int code = kmswatch_evaluate(facts, len, &report, &report_len);
        CHECK(code == expected, "%s: kmswatch_evaluate returned %d, kmswatch check exits %d", spec,
              code, expected);
        CHECK(report && strlen(report) == report_len, "%s: report length", spec);
        CHECK(report && has_member(report, "schema", "kmswatch.report/v1"), "%s: report schema",
              spec);
        CHECK(report && status_fits(code, report), "%s: status %.8s with code %d", spec,
              report ? first_status(report) : "", code);
        kmswatch_free_string(report);

        char *plan = NULL;
        code = kmswatch_plan(facts, len, OPTIONS, sizeof OPTIONS - 1, &plan, NULL);
        CHECK(plan != NULL, "%s: plan document", spec);
        if (plan) {
            int is_plan = has_member(plan, "schema", "kmswatch.plan/v1");
            int is_error = has_member(plan, "schema", "kmswatch.error/v1");
            CHECK(is_plan || is_error, "%s: plan schema", spec);
            CHECK(!is_plan || code == KMSWATCH_PASS || code == KMSWATCH_FAIL,
                  "%s: a plan comes with 0 or 1, got %d", spec, code);
            if (expected == KMSWATCH_PASS)
                CHECK(is_plan && code == KMSWATCH_PASS && strstr(plan, "\"actions\": []"),
                      "%s: a passing account needs no action (%d)", spec, code);
        }
        kmswatch_free_string(plan);
        free(facts);
    }
}

static void expect_error(int code, char *doc, const char *error_code, const char *what) {
    CHECK(code == KMSWATCH_INVALID_INPUT, "%s: returned %d, expected 2", what, code);
    CHECK(doc && has_member(doc, "schema", "kmswatch.error/v1") &&
              has_member(doc, "code", error_code),
          "%s: expected error code %s in %s", what, error_code, doc ? doc : "(NULL)");
    kmswatch_free_string(doc);
}

static void test_bad_input(const char *compliant_path) {
    size_t len;
    char *facts = read_file(compliant_path, &len);
    char *doc = NULL;
    int code;

    code = kmswatch_evaluate(NULL, 10, &doc, NULL);
    expect_error(code, doc, "INVALID_ARGUMENT", "NULL facts");
    doc = NULL;
    code = kmswatch_evaluate(facts, len / 2, &doc, NULL);
    expect_error(code, doc, "SNAPSHOT_INVALID", "truncated facts");
    doc = NULL;
    code = kmswatch_evaluate("", 0, &doc, NULL);
    expect_error(code, doc, "SNAPSHOT_INVALID", "empty facts");

    char *bad_utf8 = malloc(len + 1);
    memcpy(bad_utf8, facts, len + 1);
    char *account = strstr(bad_utf8, "111122223333");
    account[0] = (char)0xC3; /* a lead byte followed by an ASCII digit */
    doc = NULL;
    code = kmswatch_evaluate(bad_utf8, len, &doc, NULL);
    expect_error(code, doc, "INVALID_UTF8", "invalid UTF-8 facts");
    free(bad_utf8);

    CHECK(kmswatch_evaluate(facts, len, NULL, NULL) == KMSWATCH_INVALID_INPUT,
          "NULL report_json");

    doc = NULL;
    code = kmswatch_plan(facts, len, NULL, 0, &doc, NULL);
    expect_error(code, doc, "INVALID_ARGUMENT", "NULL options");
    static const char MISSPELT[] = "{\"emali\": \"x@example.com\"}";
    doc = NULL;
    code = kmswatch_plan(facts, len, MISSPELT, sizeof MISSPELT - 1, &doc, NULL);
    expect_error(code, doc, "OPTIONS_INVALID", "unknown option");
    doc = NULL;
    code = kmswatch_plan(facts, len, "{\"email\":", 9, &doc, NULL);
    expect_error(code, doc, "OPTIONS_INVALID", "truncated options");
    free(facts);
}

/* Occurrences of `needle` in `doc`. */
static size_t count_of(const char *doc, const char *needle) {
    size_t n = 0;
    for (const char *at = strstr(doc, needle); at; at = strstr(at + 1, needle)) n++;
    return n;
}

/* `control` in the options: a filter and an alarm for every CIS control that
 * does not pass, all notifying one topic. */
static void test_plan_controls(const char *compliant_path) {
    size_t len;
    char *facts = read_file(compliant_path, &len);
    static const char EVERY[] =
        "{\"subscribe\": \"sqs:arn:aws:sqs:us-east-1:111122223333:alerts\", \"control\": [\"cis\"]}";
    char *plan = NULL;
    int code = kmswatch_plan(facts, len, EVERY, sizeof EVERY - 1, &plan, NULL);
    CHECK(code == KMSWATCH_PASS, "plan for every control: returned %d", code);
    CHECK(plan && count_of(plan, "\"action\": \"put_metric_filter\"") == 14,
          "a filter per control besides 4.7");
    CHECK(plan && count_of(plan, "\"action\": \"create_topic\"") == 1, "one topic");
    CHECK(plan && strstr(plan, "kmswatch-unauthorized-api-calls"), "the 4.1 filter's name");
    kmswatch_free_string(plan);
    static const char UNKNOWN[] = "{\"control\": [\"4.99\"]}";
    plan = NULL;
    code = kmswatch_plan(facts, len, UNKNOWN, sizeof UNKNOWN - 1, &plan, NULL);
    CHECK(code == KMSWATCH_INVALID_INPUT && plan && strstr(plan, "4.99"),
          "an unknown control is invalid input (%d)", code);
    kmswatch_free_string(plan);
    free(facts);
}

static const char EVENTS_LINES[] = "examples/cloudtrail/events.jsonl";
static const char EVENTS_ARCHIVE[] =
    "examples/cloudtrail/111122223333_CloudTrail_us-east-1_20260304T1205Z_kLr9TqW2bN4xYz7c.json.gz";

static void test_pattern_test_file(void) {
    char *lines_doc = NULL, *archive_doc = NULL, *doc = NULL;
    size_t len = 0;
    int code = kmswatch_pattern_test_file(DISABLE_ONLY, strlen(DISABLE_ONLY), EVENTS_LINES,
                                          strlen(EVENTS_LINES), &lines_doc, &len);
    CHECK(code == KMSWATCH_PASS && lines_doc && strlen(lines_doc) == len,
          "pattern test on JSON lines: %d %s", code, lines_doc ? lines_doc : "(NULL)");
    code = kmswatch_pattern_test_file(DISABLE_ONLY, strlen(DISABLE_ONLY), EVENTS_ARCHIVE,
                                      strlen(EVENTS_ARCHIVE), &archive_doc, NULL);
    CHECK(code == KMSWATCH_PASS && archive_doc, "pattern test on the gzip archive: %d", code);
    if (lines_doc && archive_doc) {
        CHECK(strstr(lines_doc, "\"schema\":\"kmswatch.pattern-test/v1\"") &&
                  strstr(lines_doc, "\"files\":1,\"errors\":[]"),
              "the summary of a search: %s", lines_doc);
        size_t by_line = count_of(lines_doc, "\"line\":");
        size_t by_record = count_of(archive_doc, "\"record\":");
        /* The same events, numbered by line in one file and by record in the other. */
        CHECK(by_line > 0 && by_line == by_record && count_of(lines_doc, "\"record\":") == 0,
              "matches: %zu by line, %zu by record", by_line, by_record);
        CHECK(count_of(lines_doc, "\"eventName\":\"DisableKey\"") == by_line,
              "every match is a DisableKey event: %s", lines_doc);
    }
    kmswatch_free_string(lines_doc);
    kmswatch_free_string(archive_doc);

    code = kmswatch_pattern_test_file(NEVER, strlen(NEVER), EVENTS_LINES, strlen(EVENTS_LINES),
                                      &doc, NULL);
    CHECK(code == KMSWATCH_FAIL && doc && strstr(doc, "\"matches\":[]"),
          "no match: %d %s", code, doc ? doc : "(NULL)");
    kmswatch_free_string(doc);

    static const char MISSING[] = "examples/cloudtrail/no-such-file.json";
    doc = NULL;
    code = kmswatch_pattern_test_file(DISABLE_ONLY, strlen(DISABLE_ONLY), MISSING,
                                      sizeof MISSING - 1, &doc, NULL);
    expect_error(code, doc, "INPUT_UNREADABLE", "a missing log file");
    doc = NULL;
    code = kmswatch_pattern_test_file("{ $.x = ", 8, EVENTS_LINES, strlen(EVENTS_LINES), &doc, NULL);
    expect_error(code, doc, "PATTERN_INVALID", "an invalid pattern over a log file");
    doc = NULL;
    code = kmswatch_pattern_test_file(DISABLE_ONLY, strlen(DISABLE_ONLY), NULL, 3, &doc, NULL);
    expect_error(code, doc, "INVALID_ARGUMENT", "a NULL path");
    CHECK(kmswatch_pattern_test_file(DISABLE_ONLY, strlen(DISABLE_ONLY), EVENTS_LINES,
                                     strlen(EVENTS_LINES), NULL, NULL) == KMSWATCH_INVALID_INPUT,
          "NULL result_json");
}

static void test_pattern_errors(void) {
    char *doc = NULL;
    static const char UNCLOSED[] = "{ ($.eventName = DisableKey }";
    kmswatch_pattern *p = kmswatch_pattern_new(UNCLOSED, sizeof UNCLOSED - 1, &doc);
    CHECK(p == NULL, "an unclosed pattern compiles");
    CHECK(doc && has_member(doc, "code", "PATTERN_INVALID") && strstr(doc, "\"offset\": 28"),
          "invalid pattern document: %s", doc ? doc : "(NULL)");
    kmswatch_free_string(doc);

    doc = NULL;
    p = kmswatch_pattern_new(NULL, 5, &doc);
    CHECK(p == NULL && doc && has_member(doc, "code", "INVALID_ARGUMENT"), "NULL pattern");
    kmswatch_free_string(doc);

    doc = NULL;
    static const char BAD_UTF8[] = "{ $.a = \xff }";
    p = kmswatch_pattern_new(BAD_UTF8, sizeof BAD_UTF8 - 1, &doc);
    CHECK(p == NULL && doc && has_member(doc, "code", "INVALID_UTF8"), "invalid UTF-8 pattern");
    kmswatch_free_string(doc);

    CHECK(kmswatch_pattern_new(UNCLOSED, sizeof UNCLOSED - 1, NULL) == NULL,
          "invalid pattern without an error document");
    kmswatch_pattern_free(NULL);
    kmswatch_free_string(NULL);
}

static void test_patterns(const struct corpus_line *lines, size_t count) {
    char *doc = NULL;
    kmswatch_pattern *cis = kmswatch_pattern_new(CIS, strlen(CIS), &doc);
    CHECK(cis && doc == NULL, "the CIS pattern compiles");
    kmswatch_pattern *disable = kmswatch_pattern_new(DISABLE_ONLY, strlen(DISABLE_ONLY), NULL);
    kmswatch_pattern *never = kmswatch_pattern_new(NEVER, strlen(NEVER), NULL);
    CHECK(disable && never, "the corpus patterns compile");
    if (!cis || !disable || !never) return;

    int targets = 0;
    for (size_t i = 0; i < count; i++) {
        const struct corpus_line *l = &lines[i];
        targets += l->cis;
        int m = kmswatch_pattern_matches(cis, l->json, l->len);
        CHECK(m == l->cis, "CIS on corpus line %zu: %d, expected %d", i + 1, m, l->cis);
        m = kmswatch_pattern_matches(disable, l->json, l->len);
        CHECK(m == l->disable_only, "DisableKey pattern on corpus line %zu: %d", i + 1, m);
        m = kmswatch_pattern_matches(never, l->json, l->len);
        CHECK(m == 0, "never-matching pattern matched corpus line %zu", i + 1);
    }
    CHECK(targets > 0, "the corpus has records the CIS pattern must match");

    static const char EVENT[] =
        "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKey\"}";
    CHECK(kmswatch_pattern_matches(cis, EVENT, sizeof EVENT - 1) == 1, "CIS matches DisableKey");
    CHECK(kmswatch_pattern_matches(cis, EVENT, sizeof EVENT - 3) == 0,
          "the length, not a NUL, ends the event");
    static const char BAD_EVENT[] = "{\"eventName\":\"\xe2\x28\"}";
    CHECK(kmswatch_pattern_matches(cis, BAD_EVENT, sizeof BAD_EVENT - 1) == -1,
          "invalid UTF-8 event");
    CHECK(kmswatch_pattern_matches(cis, NULL, 0) == -1, "NULL event");
    CHECK(kmswatch_pattern_matches(NULL, EVENT, sizeof EVENT - 1) == -1, "NULL pattern");

    char *canonical = kmswatch_pattern_canonical(disable);
    CHECK(canonical && strcmp(canonical, "{ $.eventName = \"DisableKey\" }") == 0,
          "canonical form: %s", canonical ? canonical : "(NULL)");
    kmswatch_free_string(canonical);
    CHECK(kmswatch_pattern_canonical(NULL) == NULL, "canonical of NULL");

    kmswatch_pattern_free(cis);
    kmswatch_pattern_free(disable);
    kmswatch_pattern_free(never);
}

struct worker {
    const kmswatch_pattern *shared;
    const struct corpus_line *lines;
    size_t count;
    const char *facts;
    size_t facts_len;
    int mismatches;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int round = 0; round < 5; round++) {
        for (size_t i = 0; i < w->count; i++)
            if (kmswatch_pattern_matches(w->shared, w->lines[i].json, w->lines[i].len) !=
                w->lines[i].cis)
                w->mismatches++;
        char *report = NULL;
        if (kmswatch_evaluate(w->facts, w->facts_len, &report, NULL) != KMSWATCH_PASS)
            w->mismatches++;
        kmswatch_free_string(report);
    }
    return NULL;
}

static void test_threads(const struct corpus_line *lines, size_t count, const char *compliant) {
    enum { THREADS = 4 };
    size_t facts_len;
    char *facts = read_file(compliant, &facts_len);
    kmswatch_pattern *cis = kmswatch_pattern_new(CIS, strlen(CIS), NULL);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){cis, lines, count, facts, facts_len, 0};
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0, "pthread_create");
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(workers[t].mismatches == 0, "thread %d: %d wrong answers", t, workers[t].mismatches);
    }
    kmswatch_pattern_free(cis);
    free(facts);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CORPUS_LINES EXAMPLE.json:CODE ...\n", argv[0]);
        return 2;
    }
    const char *version = kmswatch_version();
    CHECK(version && version[0] >= '0' && version[0] <= '9', "version %s", version);

    /* The compliant example doubles as input for the bad-input and thread tests. */
    const char *compliant = NULL;
    for (int i = 2; i < argc; i++)
        if (strstr(argv[i], "compliant.json:")) compliant = strdup(argv[i]);
    if (!compliant) {
        fprintf(stderr, "compliant.json must be among the examples\n");
        return 2;
    }
    *strrchr((char *)compliant, ':') = '\0';

    size_t corpus_len;
    char *corpus_data = read_file(argv[1], &corpus_len);
    struct corpus_line *lines;
    size_t count = load_corpus(corpus_data, &lines);
    CHECK(count > 0, "corpus lines in %s", argv[1]);

    test_examples(argc - 2, argv + 2);
    test_bad_input(compliant);
    test_plan_controls(compliant);
    test_pattern_errors();
    test_patterns(lines, count);
    test_pattern_test_file();
    test_threads(lines, count, compliant);

    free(lines);
    free(corpus_data);
    free((char *)compliant);
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
