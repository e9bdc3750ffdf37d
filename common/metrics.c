/*
 * metrics.c -- the Prometheus metrics registry of DESIGN.md "Metrics".
 * Owns families (counter, gauge, histogram), their labelled series, the series cap
 * (max_series; a series beyond it is dropped and counted in
 * steward_metrics_series_dropped_total) and the text exposition format 0.0.4: HELP and
 * TYPE lines, label values escaped, UTF-8 made valid, families in declaration order and
 * series in first-seen order, histograms as cumulative _bucket{le=…} with +Inf, _sum and
 * _count. Leaves serving the text (worker `metrics` command, the metrics worker's HTTP
 * endpoint) to its callers. No locking: one registry per process, used from its loop.
 * Tests: tests/unit/t_metrics.c, tests/integration/t_metrics_promtool.sh
 */
#include "config.h"

#include "metrics.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MET_DEFAULT_MAX_SERIES 10000
#define MET_DROPPED "steward_metrics_series_dropped_total"

static const double met_default_buckets[] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

struct met_series {
    char **values;              /* nlabels strings */
    char *key;                  /* values joined by \x1f, for lookup */
    uint32_t hash;
    double value;               /* counter, gauge */
    uint64_t *counts;           /* histogram: per bucket (not cumulative), nbuckets + 1 */
    double sum;
    uint64_t count;
    struct met_series *next;    /* in first-seen order */
    struct met_series *chain;   /* hash bucket */
};

struct met_family {
    struct met_registry *reg;   /* back pointer, for the series cap */
    char *name, *help;
    enum met_type type;
    char **labels;
    size_t nlabels;
    double *bounds;
    size_t nbounds;
    struct met_series *head, **tail;
    struct met_series **table;  /* hash table of series */
    size_t tsize, nseries;
    struct met_family *next;
};

struct met_registry {
    size_t max_series, nseries;
    struct met_family *head, **tail;
    struct met_family *dropped;     /* steward_metrics_series_dropped_total */
};

/* ---- names and series lookup ---- */

static bool
met_name_ok(const char *s, bool colon)
{
    if (s == NULL || *s == '\0' || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
                || *s == '_' || (colon && *s == ':')))
            return false;
    return true;
}

static uint32_t
met_hash(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The lookup key of a label set: values joined by \x1f (NULL or missing values are ""). */
static char *
met_key(const struct met_family *f, const char *const *values)
{
    struct st_buf b = ST_BUF_INIT;
    bool more = values != NULL;

    st_buf_append(&b, "", 0);   /* terminated even when empty (st_buf_steal does not) */
    for (size_t i = 0; i < f->nlabels; i++) {
        if (more && values[i] == NULL)
            more = false;
        if (i > 0)
            st_buf_putc(&b, '\x1f');
        if (more)
            st_buf_puts(&b, values[i]);
    }
    return st_buf_steal(&b);
}

static void
met_rehash(struct met_family *f)
{
    size_t nsize = f->tsize ? f->tsize * 2 : 16;
    struct met_series **nt = st_xcalloc(nsize, sizeof(*nt));

    for (struct met_series *s = f->head; s != NULL; s = s->next) {
        s->chain = nt[s->hash & (nsize - 1)];
        nt[s->hash & (nsize - 1)] = s;
    }
    free(f->table);
    f->table = nt;
    f->tsize = nsize;
}

static struct met_series *met_series_get(struct met_family *f, const char *const *values);

/* Count a series that did not fit under the cap. */
static void
met_count_dropped(struct met_registry *r)
{
    struct met_series *s = met_series_get(r->dropped, NULL);

    if (s != NULL)
        s->value += 1;
}

/* The series of f for values, created on first use; NULL when the cap drops it. */
static struct met_series *
met_series_get(struct met_family *f, const char *const *values)
{
    char *key = met_key(f, values);
    uint32_t h = met_hash(key);
    struct met_series *s;
    bool more = values != NULL;

    if (f->tsize > 0)
        for (s = f->table[h & (f->tsize - 1)]; s != NULL; s = s->chain)
            if (s->hash == h && strcmp(s->key, key) == 0) {
                free(key);
                return s;
            }
    /* The dropped counter is the registry's own and never counts against the cap. */
    if (f != f->reg->dropped && f->reg->nseries >= f->reg->max_series) {
        free(key);
        met_count_dropped(f->reg);
        return NULL;
    }
    s = st_xcalloc(1, sizeof(*s));
    s->key = key;
    s->hash = h;
    s->values = st_xcalloc(f->nlabels + 1, sizeof(char *));
    for (size_t i = 0; i < f->nlabels; i++) {
        if (more && values[i] == NULL)
            more = false;
        s->values[i] = st_xstrdup(more ? values[i] : "");
    }
    if (f->type == MET_HISTOGRAM)
        s->counts = st_xcalloc(f->nbounds + 1, sizeof(*s->counts));
    *f->tail = s;
    f->tail = &s->next;
    if (f != f->reg->dropped)
        f->reg->nseries++;
    if (++f->nseries > f->tsize / 2)
        met_rehash(f);
    else {
        s->chain = f->table[h & (f->tsize - 1)];
        f->table[h & (f->tsize - 1)] = s;
    }
    return s;
}

static void
met_series_free(struct met_series *s, size_t nlabels)
{
    for (size_t i = 0; i < nlabels; i++)
        free(s->values[i]);
    free(s->values);
    free(s->key);
    free(s->counts);
    free(s);
}

/* ---- registry and families ---- */

/* New registry with the dropped-series counter declared first. Caller frees. */
struct met_registry *
met_registry_new(size_t max_series)
{
    struct met_registry *r = st_xcalloc(1, sizeof(*r));

    r->max_series = max_series ? max_series : MET_DEFAULT_MAX_SERIES;
    r->tail = &r->head;
    r->dropped = met_family(r, MET_DROPPED,
        "Metric series not recorded because the registry reached max_series.",
        MET_COUNTER, NULL);
    r->nseries = 0;         /* its own series is outside the cap */
    return r;
}

static void
met_family_free(struct met_family *f)
{
    struct met_series *s, *next;

    for (s = f->head; s != NULL; s = next) {
        next = s->next;
        met_series_free(s, f->nlabels);
    }
    for (size_t i = 0; i < f->nlabels; i++)
        free(f->labels[i]);
    free(f->labels);
    free(f->bounds);
    free(f->table);
    free(f->name);
    free(f->help);
    free(f);
}

/* Free the registry, its families and series. Takes NULL. */
void
met_registry_free(struct met_registry *r)
{
    struct met_family *f, *next;

    if (r == NULL)
        return;
    for (f = r->head; f != NULL; f = next) {
        next = f->next;
        met_family_free(f);
    }
    free(r);
}

/* Declare (or find) a family. NULL when the name or a label name is invalid, or the name
   is taken by a family of another type; the met_* calls ignore a NULL family. */
struct met_family *
met_family(struct met_registry *r, const char *name, const char *help, enum met_type type,
    const char *const *labels)
{
    struct met_family *f;
    size_t n = 0;

    if (!met_name_ok(name, true) || type > MET_HISTOGRAM)
        return NULL;
    for (f = r->head; f != NULL; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f->type == type ? f : NULL;
    for (; labels != NULL && labels[n] != NULL; n++)
        if (!met_name_ok(labels[n], false) || strncmp(labels[n], "__", 2) == 0
                || (type == MET_HISTOGRAM && strcmp(labels[n], "le") == 0))
            return NULL;
    f = st_xcalloc(1, sizeof(*f));
    f->reg = r;
    f->name = st_xstrdup(name);
    f->help = st_xstrdup(help != NULL ? help : "");
    f->type = type;
    f->nlabels = n;
    f->labels = st_xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        f->labels[i] = st_xstrdup(labels[i]);
    f->tail = &f->head;
    if (type == MET_HISTOGRAM)
        met_set_buckets(f, met_default_buckets, ST_ARRAY_LEN(met_default_buckets));
    *r->tail = f;
    r->tail = &f->next;
    if (n == 0)
        (void)met_series_get(f, NULL);      /* an unlabelled family shows 0 from the start */
    return f;
}

/* Add by (>= 0) to a counter, or by (any sign) to a gauge. */
void
met_inc(struct met_family *f, const char *const *values, double by)
{
    struct met_series *s;

    if (f == NULL || f->type == MET_HISTOGRAM || (f->type == MET_COUNTER && !(by >= 0)))
        return;
    if ((s = met_series_get(f, values)) != NULL)
        s->value += by;
}

/* Set a gauge, or a counter mirrored from elsewhere (e.g. restarts counted by the supervisor). */
void
met_set(struct met_family *f, const char *const *values, double v)
{
    struct met_series *s;

    if (f == NULL || f->type == MET_HISTOGRAM)
        return;
    if ((s = met_series_get(f, values)) != NULL)
        s->value = v;
}

/* Record one observation in a histogram. NaN is ignored. */
void
met_observe(struct met_family *f, const char *const *values, double v)
{
    struct met_series *s;
    size_t i = 0;

    if (f == NULL || f->type != MET_HISTOGRAM || isnan(v))
        return;
    if ((s = met_series_get(f, values)) == NULL)
        return;
    while (i < f->nbounds && v > f->bounds[i])
        i++;
    s->counts[i]++;
    s->sum += v;
    s->count++;
}

/* Replace the bucket bounds (ascending, finite). Ignored once a labelled series exists or
   when bounds are not strictly ascending; an unlabelled series is reset. */
void
met_set_buckets(struct met_family *f, const double *bounds, size_t n)
{
    if (f == NULL || f->type != MET_HISTOGRAM)
        return;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1])))
            return;
    if (f->head != NULL && (f->nlabels > 0 || f->head->count > 0))
        return;
    free(f->bounds);
    f->bounds = st_xcalloc(n + 1, sizeof(double));
    memcpy(f->bounds, bounds, n * sizeof(double));
    f->nbounds = n;
    if (f->head != NULL) {
        free(f->head->counts);
        f->head->counts = st_xcalloc(n + 1, sizeof(*f->head->counts));
    }
}

/* Current value of a counter or gauge series, or a histogram's count; 0 when absent. */
double
met_value(struct met_family *f, const char *const *values)
{
    char *key;
    struct met_series *s = NULL;

    if (f == NULL || f->tsize == 0)
        return 0;
    key = met_key(f, values);
    for (s = f->table[met_hash(key) & (f->tsize - 1)]; s != NULL; s = s->chain)
        if (strcmp(s->key, key) == 0)
            break;
    free(key);
    if (s == NULL)
        return 0;
    return f->type == MET_HISTOGRAM ? (double)s->count : s->value;
}

/* ---- exposition ---- */

/* A sample value as Prometheus reads it: shortest round-tripping decimal, +Inf, -Inf, NaN. */
static void
met_put_number(struct st_buf *out, double v)
{
    char tmp[40];

    if (isnan(v)) {
        st_buf_puts(out, "NaN");
        return;
    }
    if (isinf(v)) {
        st_buf_puts(out, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        (void)snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    st_buf_puts(out, tmp);
}

/* Length of the valid UTF-8 character at s (at most left bytes), or 0 when invalid. */
static size_t
met_utf8_len(const unsigned char *s, size_t left)
{
    size_t need;
    uint32_t cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        need = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        need = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        need = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (left < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return need;
}

/* Escape s for a HELP line (\\ and \n) or a label value (also \"); invalid UTF-8 bytes
   become U+FFFD so the output stays valid UTF-8. */
static void
met_put_escaped(struct st_buf *out, const char *s, bool quote)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, n;

    while (i < len) {
        if (p[i] == '\\' || p[i] == '\n' || (quote && p[i] == '"')) {
            st_buf_putc(out, '\\');
            st_buf_putc(out, p[i] == '\n' ? 'n' : (char)p[i]);
            i++;
        } else if ((n = met_utf8_len(p + i, len - i)) == 0) {
            st_buf_puts(out, "\xef\xbf\xbd");
            i++;
        } else {
            st_buf_append(out, p + i, n);
            i += n;
        }
    }
}

/* name{a="x",b="y"[,le="…"]} -- the braces only when there is a label. */
static void
met_put_series_name(struct st_buf *out, const struct met_family *f,
    const struct met_series *s, const char *suffix, const double *le)
{
    size_t i;

    st_buf_puts(out, f->name);
    st_buf_puts(out, suffix);
    if (f->nlabels == 0 && le == NULL)
        return;
    st_buf_putc(out, '{');
    for (i = 0; i < f->nlabels; i++) {
        if (i > 0)
            st_buf_putc(out, ',');
        st_buf_puts(out, f->labels[i]);
        st_buf_puts(out, "=\"");
        met_put_escaped(out, s->values[i], true);
        st_buf_putc(out, '"');
    }
    if (le != NULL) {
        st_buf_puts(out, i > 0 ? ",le=\"" : "le=\"");
        met_put_number(out, *le);
        st_buf_putc(out, '"');
    }
    st_buf_putc(out, '}');
}

static void
met_render_histogram(const struct met_family *f, const struct met_series *s,
    struct st_buf *out)
{
    uint64_t cum = 0;
    double inf = INFINITY;

    for (size_t i = 0; i <= f->nbounds; i++) {
        cum += s->counts[i];
        met_put_series_name(out, f, s, "_bucket", i < f->nbounds ? &f->bounds[i] : &inf);
        st_buf_printf(out, " %llu\n", (unsigned long long)cum);
    }
    met_put_series_name(out, f, s, "_sum", NULL);
    st_buf_putc(out, ' ');
    met_put_number(out, s->sum);
    st_buf_putc(out, '\n');
    met_put_series_name(out, f, s, "_count", NULL);
    st_buf_printf(out, " %llu\n", (unsigned long long)s->count);
}

/* Append the text exposition of every family to out. */
void
met_render(const struct met_registry *r, struct st_buf *out)
{
    static const char *const types[] = { "counter", "gauge", "histogram" };

    for (const struct met_family *f = r->head; f != NULL; f = f->next) {
        st_buf_printf(out, "# HELP %s ", f->name);
        met_put_escaped(out, f->help, false);
        st_buf_printf(out, "\n# TYPE %s %s\n", f->name, types[f->type]);
        for (const struct met_series *s = f->head; s != NULL; s = s->next) {
            if (f->type == MET_HISTOGRAM) {
                met_render_histogram(f, s, out);
                continue;
            }
            met_put_series_name(out, f, s, "", NULL);
            st_buf_putc(out, ' ');
            met_put_number(out, s->value);
            st_buf_putc(out, '\n');
        }
    }
}
