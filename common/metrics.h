/*
 * metrics.h -- a Prometheus metrics registry: counter, gauge and histogram families with
 * labels, rendered in the text exposition format 0.0.4. Not thread-safe: one registry
 * per process, used from its event loop.
 * Tests: tests/unit/t_metrics.c, tests/integration/t_metrics_promtool.sh
 */
#ifndef STEWARD_METRICS_H
#define STEWARD_METRICS_H

#include <stddef.h>

#include "util.h"

enum met_type { MET_COUNTER, MET_GAUGE, MET_HISTOGRAM };

struct met_registry;
struct met_family;

/* New empty registry. max_series caps the number of label sets over all families (0 = default
   10000); a new series beyond it is dropped and counted in
   steward_metrics_series_dropped_total. Caller frees with met_registry_free. */
struct met_registry *met_registry_new(size_t max_series);
void met_registry_free(struct met_registry *r);     /* takes NULL */

/* Declare a family once; type MET_COUNTER | MET_GAUGE | MET_HISTOGRAM; labels NULL-terminated
   array of label names (NULL = none). Returns a handle owned by the registry. Declaring the
   same name again with the same type returns the existing family. Names are the caller's
   constants (asserted valid: [a-zA-Z_:][a-zA-Z0-9_:]*). */
struct met_family *met_family(struct met_registry *r, const char *name, const char *help,
    enum met_type type, const char *const *labels);
/* Label values in the family's label order (NULL-terminated or NULL when no labels); a
   missing value counts as "". Values are escaped on output. */
void met_inc(struct met_family *f, const char *const *values, double by);
void met_set(struct met_family *f, const char *const *values, double v);
void met_observe(struct met_family *f, const char *const *values, double v); /* histogram */
/* Upper bounds, ascending, without +Inf (added on output); before the first observation.
   Default: 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10. */
void met_set_buckets(struct met_family *f, const double *bounds, size_t n);
/* Current value of a counter or gauge series (0 when absent); for tests and status pages. */
double met_value(struct met_family *f, const char *const *values);
/* Append the Prometheus text exposition (format 0.0.4) of every family to out: families in
   declaration order, series in first-seen order, HELP and TYPE lines first. */
void met_render(const struct met_registry *r, struct st_buf *out);

#endif
