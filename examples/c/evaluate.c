/*
 * kongtun from C: load the rule packs once, then evaluate claim files on several threads
 * at once with the one engine handle, printing each file's records in order: the same
 * bytes as `kongtun evaluate --format json --as-of AS_OF FILE...`.
 *
 *   cc -I include examples/c/evaluate.c -L target/release -lkongtun_ffi -lpthread \
 *      -Wl,-rpath,target/release -o evaluate
 *   ./evaluate rules 2025-10-15 examples/claims/uc.yaml examples/claims/sss-self.yaml
 *
 * Exit status: 0 every claim evaluated, 1 some claim rejected, 2 an error.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kongtun.h"

struct job {
    const KongtunEngine *engine;
    const char *path;
    const char *as_of;
    char *records; /* from kongtun, freed with kongtun_free */
    int status;
};

/* The whole file as a NUL-terminated string, or NULL. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t size = 0, cap = 1 << 16;
    char *text = malloc(cap);
    size_t n;
    while (text != NULL && (n = fread(text + size, 1, cap - size - 1, f)) > 0) {
        size += n;
        if (cap - size - 1 == 0) {
            char *bigger = realloc(text, cap * 2);
            if (bigger == NULL) { free(text); text = NULL; break; }
            text = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (text != NULL) text[size] = '\0';
    return text;
}

static void *evaluate_file(void *arg) {
    struct job *job = arg;
    char *claims = read_file(job->path);
    if (claims == NULL) {
        job->status = -1;
        return NULL;
    }
    /* lang NULL: English; trace 1: as `kongtun evaluate --format json` */
    job->status = kongtun_evaluate_batch(job->engine, claims, job->as_of, NULL, 1, &job->records);
    free(claims);
    return NULL;
}

/* Calls that must fail cleanly: null pointers are errors, never crashes. */
static int check_misuse(const KongtunEngine *engine) {
    char *result = NULL;
    int bad = 0;
    if (kongtun_evaluate(NULL, "{}", NULL, NULL, 0, &result) != KONGTUN_INVALID_ARGUMENT) bad = 1;
    kongtun_free(result);
    result = NULL;
    if (kongtun_evaluate(engine, NULL, NULL, NULL, 0, &result) != KONGTUN_INVALID_ARGUMENT) bad = 1;
    kongtun_free(result);
    result = NULL;
    if (kongtun_evaluate(engine, "{\"id\": \"X\", \"hn\": ", "2025-10-15", NULL, 0, &result) != KONGTUN_REJECTED) bad = 1;
    kongtun_free(result);
    result = NULL;
    if (kongtun_evaluate_batch(engine, "{}", "not a date", NULL, 0, &result) != KONGTUN_INVALID_ARGUMENT) bad = 1;
    kongtun_free(result);
    result = NULL;
    if (kongtun_validate("\xff\xfe", &result) != KONGTUN_INVALID_ARGUMENT) bad = 1;
    kongtun_free(result);
    KongtunEngine *none = NULL;
    char *error = NULL;
    if (kongtun_engine_load("/no/such/rules", &none, &error) != KONGTUN_PACK_ERROR || none != NULL || error == NULL) bad = 1;
    kongtun_free(error);
    kongtun_free(NULL);
    kongtun_engine_free(NULL);
    if (bad) fprintf(stderr, "evaluate: a misuse of the API was not refused as documented\n");
    return bad;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s RULES AS_OF FILE...\n", argv[0]);
        return 2;
    }
    fprintf(stderr, "kongtun %s\n", kongtun_version());
    KongtunEngine *engine = NULL;
    char *error = NULL;
    if (kongtun_engine_load(argv[1], &engine, &error) != KONGTUN_OK) {
        fprintf(stderr, "%s\n", error != NULL ? error : "cannot load the packs");
        kongtun_free(error);
        return 2;
    }
    int files = argc - 3;
    struct job *jobs = calloc((size_t)files, sizeof *jobs);
    pthread_t *threads = calloc((size_t)files, sizeof *threads);
    if (jobs == NULL || threads == NULL) return 2;
    for (int i = 0; i < files; i++) {
        jobs[i] = (struct job){ .engine = engine, .path = argv[3 + i], .as_of = argv[2] };
        if (pthread_create(&threads[i], NULL, evaluate_file, &jobs[i]) != 0) return 2;
    }
    int exit_status = 0;
    for (int i = 0; i < files; i++) {
        pthread_join(threads[i], NULL);
        if (jobs[i].status < 0) {
            fprintf(stderr, "%s: cannot read\n", jobs[i].path);
            exit_status = 2;
        } else if (jobs[i].status >= KONGTUN_INVALID_ARGUMENT) {
            fprintf(stderr, "%s: %s\n", jobs[i].path, jobs[i].records);
            exit_status = 2;
        } else {
            fputs(jobs[i].records, stdout);
            if (jobs[i].status == KONGTUN_REJECTED && exit_status == 0) exit_status = 1;
        }
        kongtun_free(jobs[i].records);
    }
    if (check_misuse(engine)) exit_status = 2;
    kongtun_engine_free(engine);
    free(jobs);
    free(threads);
    return exit_status;
}
