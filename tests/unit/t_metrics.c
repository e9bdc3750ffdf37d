/* t_metrics.c -- exact exposition text: counters, gauges, histograms, labels, escaping,
   the series cap and its dropped counter. */
#include "config.h"

#include <math.h>

#include "metrics.h"
#include "tap.h"

#define DROPPED_HEAD \
    "# HELP steward_metrics_series_dropped_total Metric series not recorded because the" \
    " registry reached max_series.\n" \
    "# TYPE steward_metrics_series_dropped_total counter\n"

static char *
render(struct met_registry *r)
{
    struct st_buf b = ST_BUF_INIT;

    met_render(r, &b);
    return st_buf_steal(&b);
}

static void
test_empty_registry_shows_dropped_counter(void)
{
    struct met_registry *r = met_registry_new(0);
    char *s = render(r);

    is_str(s, DROPPED_HEAD "steward_metrics_series_dropped_total 0\n",
        "a new registry renders only its dropped-series counter at 0");
    free(s);
    met_registry_free(r);
}

static void
test_counter_with_labels_in_first_seen_order(void)
{
    static const char *const labels[] = { "worker", "reason", NULL };
    struct met_registry *r = met_registry_new(0);
    struct met_family *f = met_family(r, "steward_worker_restarts_total", "Worker restarts.",
        MET_COUNTER, labels);
    char *s;

    met_inc(f, (const char *const[]){ "transform.2", "exit 1", NULL }, 1);
    met_inc(f, (const char *const[]){ "cache", "oom-killed", NULL }, 2);
    met_inc(f, (const char *const[]){ "transform.2", "exit 1", NULL }, 1);
    met_inc(f, (const char *const[]){ "cache", "oom-killed", NULL }, -5);   /* ignored */
    s = render(r);
    is_str(s, DROPPED_HEAD "steward_metrics_series_dropped_total 0\n"
        "# HELP steward_worker_restarts_total Worker restarts.\n"
        "# TYPE steward_worker_restarts_total counter\n"
        "steward_worker_restarts_total{worker=\"transform.2\",reason=\"exit 1\"} 2\n"
        "steward_worker_restarts_total{worker=\"cache\",reason=\"oom-killed\"} 2\n",
        "counter series in first-seen order; a negative increment is ignored");
    is_int(met_value(f, (const char *const[]){ "cache", "oom-killed", NULL }), 2,
        "met_value reads a series");
    free(s);
    met_registry_free(r);
}

static void
test_gauge_values_and_numbers(void)
{
    struct met_registry *r = met_registry_new(0);
    struct met_family *f = met_family(r, "g", "A gauge.", MET_GAUGE,
        (const char *const[]){ "k", NULL });
    struct st_buf b = ST_BUF_INIT;

    met_set(f, (const char *const[]){ "a", NULL }, 0.1);
    met_set(f, (const char *const[]){ "b", NULL }, 1e21);
    met_set(f, (const char *const[]){ "c", NULL }, -3);
    met_set(f, (const char *const[]){ "d", NULL }, INFINITY);
    met_set(f, (const char *const[]){ "e", NULL }, NAN);
    met_inc(f, (const char *const[]){ "c", NULL }, -0.5);
    met_render(r, &b);
    like(b.data, "g{k=\"a\"} 0.1\ng{k=\"b\"} 1e+21\ng{k=\"c\"} -3.5\ng{k=\"d\"} +Inf\n"
        "g{k=\"e\"} NaN\n", "shortest decimals, +Inf and NaN; a gauge goes down");
    st_buf_free(&b);
    met_registry_free(r);
}

static void
test_label_values_and_help_escaped(void)
{
    struct met_registry *r = met_registry_new(0);
    struct met_family *f = met_family(r, "esc", "Back\\slash and\nnewline \"kept\".",
        MET_COUNTER, (const char *const[]){ "v", NULL });
    struct st_buf b = ST_BUF_INIT;

    met_inc(f, (const char *const[]){ "a\"b\\c\nd", NULL }, 1);
    met_inc(f, (const char *const[]){ "bad\xff" "utf8 \xc3\xa9", NULL }, 1);
    met_render(r, &b);
    like(b.data, "# HELP esc Back\\\\slash and\\nnewline \"kept\".\n",
        "HELP escapes backslash and newline, not quotes");
    like(b.data, "esc{v=\"a\\\"b\\\\c\\nd\"} 1\n", "label value escapes quote, backslash, newline");
    like(b.data, "esc{v=\"bad\xef\xbf\xbdutf8 \xc3\xa9\"} 1\n",
        "invalid UTF-8 becomes U+FFFD, valid UTF-8 is kept");
    st_buf_free(&b);
    met_registry_free(r);
}

static void
test_missing_label_values_are_empty(void)
{
    struct met_registry *r = met_registry_new(0);
    struct met_family *f = met_family(r, "m", "h", MET_GAUGE,
        (const char *const[]){ "a", "b", NULL });
    struct st_buf b = ST_BUF_INIT;

    met_set(f, (const char *const[]){ "x", NULL }, 1);
    met_set(f, NULL, 2);
    met_render(r, &b);
    like(b.data, "m{a=\"x\",b=\"\"} 1\nm{a=\"\",b=\"\"} 2\n", "missing values render as \"\"");
    st_buf_free(&b);
    met_registry_free(r);
}

static void
test_histogram_buckets_sum_count(void)
{
    struct met_registry *r = met_registry_new(0);
    struct met_family *f = met_family(r, "steward_ingest_batch_seconds", "Batch time.",
        MET_HISTOGRAM, (const char *const[]){ "source", NULL });
    static const double bounds[] = { 0.1, 1, 10 };
    const char *const odoo[] = { "odoo", NULL };
    struct st_buf b = ST_BUF_INIT;

    met_set_buckets(f, bounds, 3);
    met_observe(f, odoo, 0.05);
    met_observe(f, odoo, 0.1);     /* le is inclusive */
    met_observe(f, odoo, 2);
    met_observe(f, odoo, 50);
    met_render(r, &b);
    like(b.data, "# HELP steward_ingest_batch_seconds Batch time.\n"
        "# TYPE steward_ingest_batch_seconds histogram\n"
        "steward_ingest_batch_seconds_bucket{source=\"odoo\",le=\"0.1\"} 2\n"
        "steward_ingest_batch_seconds_bucket{source=\"odoo\",le=\"1\"} 2\n"
        "steward_ingest_batch_seconds_bucket{source=\"odoo\",le=\"10\"} 3\n"
        "steward_ingest_batch_seconds_bucket{source=\"odoo\",le=\"+Inf\"} 4\n"
        "steward_ingest_batch_seconds_sum{source=\"odoo\"} 52.15\n"
        "steward_ingest_batch_seconds_count{source=\"odoo\"} 4\n",
        "cumulative buckets with +Inf, then _sum and _count");
    st_buf_free(&b);
    met_registry_free(r);
}

static void
test_unlabelled_histogram_default_buckets(void)
{
    struct met_registry *r = met_registry_new(0);
    struct met_family *f = met_family(r, "h", "H.", MET_HISTOGRAM, NULL);
    struct st_buf b = ST_BUF_INIT;

    met_observe(f, NULL, 0.3);
    met_render(r, &b);
    like(b.data, "h_bucket{le=\"0.005\"} 0\nh_bucket{le=\"0.01\"} 0\nh_bucket{le=\"0.025\"} 0\n"
        "h_bucket{le=\"0.05\"} 0\nh_bucket{le=\"0.1\"} 0\nh_bucket{le=\"0.25\"} 0\n"
        "h_bucket{le=\"0.5\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"2.5\"} 1\n"
        "h_bucket{le=\"5\"} 1\nh_bucket{le=\"10\"} 1\nh_bucket{le=\"+Inf\"} 1\n"
        "h_sum 0.3\nh_count 1\n", "default buckets; no braces on _sum/_count without labels");
    st_buf_free(&b);
    met_registry_free(r);
}

static void
test_series_cap_drops_and_counts(void)
{
    struct met_registry *r = met_registry_new(3);
    struct met_family *u = met_family(r, "u", "U.", MET_GAUGE, NULL);   /* 1 series */
    struct met_family *f = met_family(r, "c_total", "C.", MET_COUNTER,
        (const char *const[]){ "id", NULL });
    struct st_buf b = ST_BUF_INIT;
    char id[16];

    (void)u;
    for (int i = 0; i < 5; i++) {
        (void)snprintf(id, sizeof(id), "%d", i);
        met_inc(f, (const char *const[]){ id, NULL }, 1);
    }
    met_inc(f, (const char *const[]){ "0", NULL }, 1);     /* existing series still count */
    met_render(r, &b);
    is_str(b.data, DROPPED_HEAD "steward_metrics_series_dropped_total 3\n"
        "# HELP u U.\n# TYPE u gauge\nu 0\n"
        "# HELP c_total C.\n# TYPE c_total counter\nc_total{id=\"0\"} 2\nc_total{id=\"1\"} 1\n",
        "three series fit; three new ones were dropped and counted");
    st_buf_free(&b);
    met_registry_free(r);
}

static void
test_family_declaration_rules(void)
{
    struct met_registry *r = met_registry_new(0);
    struct met_family *a = met_family(r, "x_total", "X.", MET_COUNTER, NULL);

    ok(met_family(r, "x_total", "X again.", MET_COUNTER, NULL) == a,
        "same name and type returns the same family");
    ok(met_family(r, "x_total", "X.", MET_GAUGE, NULL) == NULL, "same name, other type: NULL");
    ok(met_family(r, "9bad", "B.", MET_GAUGE, NULL) == NULL, "name starting with a digit: NULL");
    ok(met_family(r, "bad-name", "B.", MET_GAUGE, NULL) == NULL, "dash in name: NULL");
    ok(met_family(r, "hh", "H.", MET_HISTOGRAM, (const char *const[]){ "le", NULL }) == NULL,
        "histogram with an le label: NULL");
    ok(met_family(r, "ll", "L.", MET_GAUGE, (const char *const[]){ "a:b", NULL }) == NULL,
        "colon in a label name: NULL");
    met_inc(NULL, NULL, 1);     /* ignored, no crash */
    met_observe(a, NULL, 1);    /* not a histogram: ignored */
    is_int(met_value(a, NULL), 0, "observe on a counter changes nothing");
    met_registry_free(r);
}

int
main(void)
{
    test_empty_registry_shows_dropped_counter();
    test_counter_with_labels_in_first_seen_order();
    test_gauge_values_and_numbers();
    test_label_values_and_help_escaped();
    test_missing_label_values_are_empty();
    test_histogram_buckets_sum_count();
    test_unlabelled_histogram_default_buckets();
    test_series_cap_drops_and_counts();
    test_family_declaration_rules();
    return done_testing();
}
