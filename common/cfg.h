/*
 * cfg.h -- the parsed, validated, immutable steward configuration.
 *
 * cfg_load() reads a libconfig file (with @include, ${VAR} / ${VAR:-default} from the
 * environment and a .env beside the file), checks every key against one schema table,
 * fills defaults, normalises units, checks references, and returns one struct cfg, or
 * NULL with every problem in a cfg_diag as "file:line: message".
 * Everything is owned by the struct cfg; cfg_free() releases all of it.
 */
#ifndef STEWARD_CFG_H
#define STEWARD_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cfg_restart { CFG_RESTART_ALWAYS, CFG_RESTART_ON_FAILURE, CFG_RESTART_NEVER };
enum cfg_overlap { CFG_OVERLAP_SKIP, CFG_OVERLAP_QUEUE, CFG_OVERLAP_REPLACE };

struct cfg_kv {
    char *key;
    char *value;
};

struct cfg_limits {
    int64_t memory_bytes;       /* 0 = unset */
    double cpu;                 /* CPUs (0.5 = half of one); 0 = unset */
    int64_t pids;               /* 0 = unset */
    int64_t nofile;             /* 0 = unset */
};

struct cfg_route {
    char *path;
    char *table;
};

struct cfg_worker {
    char *name;
    char *kind;                 /* one of cfg_kinds[] */
    int count;                  /* >= 1 */
    enum cfg_restart restart;
    struct cfg_limits limits;
    double ready_after_s;       /* exec: seconds up before it counts as running (0) */
    char **command;             /* exec: argv, NULL-terminated; NULL otherwise */
    size_t ncommand;
    struct cfg_kv *env;         /* exec: extra environment */
    size_t nenv;
    char *cwd;
    char *user;
    char *listen;               /* "host:port" */
    struct cfg_route *routes;
    size_t nroutes;
    int64_t max_body;           /* bytes; 0 = default */
    char *hmac_secret;          /* secret */
    char *source;               /* ingestor: name of a sources.* entry */
    double interval_s;          /* ingestor: seconds between runs (0 = default) */
    int start_limit_burst;      /* resolved: the worker's override, else steward's */
    double start_limit_interval_s;
    double stable_s;
    const char *file;           /* where it was defined (borrowed from cfg's strings) */
    int line;
};

struct cfg_table {
    char *name;
    char *key;
    char *cursor;
    int priority;
    bool delete_detection;
    int line;
};

struct cfg_source {
    char *name;
    char *url;                  /* secret (password part) */
    int64_t batch_rows;
    int64_t batch_bytes;
    double lookback_s;
    double max_rejects;         /* >= 1: a count; in (0,1): a ratio; 0 = none allowed */
    struct cfg_table *tables;
    size_t ntables;
};

struct cfg_http {
    char *method;
    char *url;
    struct cfg_kv *headers;
    size_t nheaders;
    char *body;
    double timeout_s;
};

struct cfg_job {
    char *name;
    char *cron;
    char *timezone;
    bool has_http;
    struct cfg_http http;
    char *sql;
    char *builtin;
    int retries;
    double *backoff;
    size_t nbackoff;
    enum cfg_overlap overlap;
    double timeout_s;
    double misfire_grace_s;
    int line;
};

struct cfg_bucket {
    char *name;
    int retention_days;
    bool public_read;
};

struct cfg_metric_query {
    char *name;
    char *help;
    char *type;                 /* "gauge" | "counter" */
    char *query;
    char **labels;
    size_t nlabels;
    double interval_s;
    double timeout_s;
};

struct cfg {
    char *path;                 /* the file given to cfg_load (or the name given to
                                   cfg_load_string) */
    char **files;               /* every file read (path first, then @includes); the
                                   cfg_worker.file pointers point here */
    size_t nfiles;
    char digest[65];            /* sha256 hex of the bytes of every file read (main,
                                   @includes, .env): a worker re-reading on RELOAD checks
                                   it read what the supervisor read */
    struct {
        char *run_dir;
        double shutdown_timeout_s;
        char *log_level;
        char *control_group;    /* NULL = none */
        int start_limit_burst;
        double start_limit_interval_s;
        double stable_s;
        double failed_retry_s;  /* 0 = off */
        double heartbeat_s;     /* native workers beat this often; watchdog 3x */
    } steward;
    struct {
        char *url;              /* secret; NULL when not configured */
        int pool_size;
        char **sets;            /* always includes "platform" first */
        size_t nsets;
        char *sql_dir;          /* NULL = installed data dir */
        char *seeds_dir;
    } database;
    struct {
        char *url;
    } redis;
    struct cfg_source *sources;
    size_t nsources;
    struct cfg_worker *workers;
    size_t nworkers;
    struct {
        char *redis_url;        /* defaults to redis.url */
        int max_deliveries;
    } queue;
    struct {
        double l1_s, l2_s, l3_s;
        double route_ttl_s;
        bool enforce_policy;
    } cache;
    struct cfg_job *jobs;
    size_t njobs;
    struct {
        char *slack_webhook;    /* secret */
        double dedup_s;
    } alerts;
    struct {
        int max_connections;
        int max_series;
        struct cfg_metric_query *queries;
        size_t nqueries;
    } metrics;
    struct {
        char *endpoint;
        char *region;
        char *access_key;       /* secret */
        char *secret_key;       /* secret */
        struct cfg_bucket *buckets;
        size_t nbuckets;
    } storage;
};

/* Diagnostics: every problem found, in file order, as "file:line: message". */
struct cfg_diag {
    char **msgs;
    size_t n;
};

#define CFG_DIAG_INIT { NULL, 0 }

/* The worker kinds the supervisor knows: six native ones and "exec"; NULL-terminated. */
extern const char *const cfg_kinds[];

/*
 * Load and validate path. Returns a new cfg (caller frees with cfg_free), or NULL with
 * diag holding at least one message. Secret values found (URL passwords, hmac_secret,
 * storage keys, webhook URLs) are registered with log_add_secret().
 */
struct cfg *cfg_load(const char *path, struct cfg_diag *diag);
/*
 * The same checks on config text held in memory; name stands for the file in messages.
 * No .env is read (the environment still expands ${VAR}) and @include is refused.
 * For the fuzzer and the unit tests.
 */
struct cfg *cfg_load_string(const char *text, const char *name, struct cfg_diag *diag);
void cfg_free(struct cfg *cfg);

/* The first message ("file:line: message"), or "" when there is none. */
const char *cfg_diag_first(const struct cfg_diag *diag);
/* One log_error record per message (reload: the old config keeps running). */
void cfg_diag_log(const struct cfg_diag *diag);
void cfg_diag_free(struct cfg_diag *diag);

/* Number of worker instances (the sum of every worker's count). */
size_t cfg_instance_count(const struct cfg *cfg);
/* Instance name: "NAME" when count is 1, else "NAME.<k>" (k from 1). Returns buf. */
const char *cfg_instance_name(const struct cfg_worker *w, int k, char *buf, size_t size);
/* True for the six kinds that run steward's own code (not "exec"). */
bool cfg_kind_is_native(const char *kind);

/* Find by name; NULL when absent. */
const struct cfg_worker *cfg_find_worker(const struct cfg *cfg, const char *name);
const struct cfg_source *cfg_find_source(const struct cfg *cfg, const char *name);

/*
 * True when two worker entries would run the same way (every setting equal, plus the
 * settings they depend on: the source they read). Used by reload to decide restarts.
 */
bool cfg_worker_equal(const struct cfg *a, const struct cfg_worker *wa,
    const struct cfg *b, const struct cfg_worker *wb);

#endif
