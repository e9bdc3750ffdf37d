/*
 * metrics.c -- the Prometheus metrics registry (skeleton: declarations accepted,
 * rendering of HELP/TYPE only; series storage lands next).
 * Tests: tests/unit/t_metrics.c
 */
#include "config.h"

#include "metrics.h"

#include <stdlib.h>
#include <string.h>

struct met_family {
    char *name, *help;
    enum met_type type;
    struct met_family *next;
};

struct met_registry {
    size_t max_series;
    struct met_family *head, **tail;
};

struct met_registry *
met_registry_new(size_t max_series)
{
    struct met_registry *r = st_xcalloc(1, sizeof(*r));

    r->max_series = max_series ? max_series : 10000;
    r->tail = &r->head;
    return r;
}

void
met_registry_free(struct met_registry *r)
{
    struct met_family *f, *next;

    if (r == NULL)
        return;
    for (f = r->head; f != NULL; f = next) {
        next = f->next;
        free(f->name);
        free(f->help);
        free(f);
    }
    free(r);
}

struct met_family *
met_family(struct met_registry *r, const char *name, const char *help, enum met_type type,
    const char *const *labels)
{
    struct met_family *f = st_xcalloc(1, sizeof(*f));

    (void)labels;
    f->name = st_xstrdup(name);
    f->help = st_xstrdup(help ? help : "");
    f->type = type;
    *r->tail = f;
    r->tail = &f->next;
    return f;
}

void met_inc(struct met_family *f, const char *const *values, double by) { (void)f; (void)values; (void)by; }
void met_set(struct met_family *f, const char *const *values, double v) { (void)f; (void)values; (void)v; }
void met_observe(struct met_family *f, const char *const *values, double v) { (void)f; (void)values; (void)v; }
void met_set_buckets(struct met_family *f, const double *bounds, size_t n) { (void)f; (void)bounds; (void)n; }
double met_value(struct met_family *f, const char *const *values) { (void)f; (void)values; return 0; }

void
met_render(const struct met_registry *r, struct st_buf *out)
{
    static const char *const types[] = { "counter", "gauge", "histogram" };
    const struct met_family *f;

    for (f = r->head; f != NULL; f = f->next) {
        st_buf_printf(out, "# HELP %s %s\n", f->name, f->help);
        st_buf_printf(out, "# TYPE %s %s\n", f->name, types[f->type]);
    }
}
