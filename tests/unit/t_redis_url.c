/* t_redis_url.c -- redis URL forms, defaults, refusals (rediss://), and error texts. */
#include "config.h"

#include <stdlib.h>

#include "redis.h"
#include "tap.h"

static void
test_plain_url_defaults_to_localhost_6379_db0(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_url u;

    is_int(rds_url_parse("redis://", &u, &err), 0, "bare redis:// parses");
    is_str(u.host, "127.0.0.1", "empty host means 127.0.0.1");
    is_int(u.port, 6379, "default port 6379");
    is_int(u.db, 0, "default db 0");
    ok(u.password == NULL && u.username == NULL, "no credentials");
    rds_url_fini(&u);
}

static void
test_full_url_with_user_password_and_db(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_url u;

    is_int(rds_url_parse("redis://app:p%40ss:w@cache.internal:6380/3", &u, &err), 0,
        "user, password with escapes, port and db parse");
    is_str(u.username, "app", "user");
    is_str(u.password, "p@ss:w", "password percent-decoded, ':' after the first kept");
    is_str(u.host, "cache.internal", "host");
    is_int(u.port, 6380, "port");
    is_int(u.db, 3, "db from the path");
    rds_url_fini(&u);
}

static void
test_password_only_forms(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_url u;

    is_int(rds_url_parse("redis://:secret@10.0.0.5/0", &u, &err), 0, ":password@ parses");
    ok(u.username == NULL, "no user with :password@");
    is_str(u.password, "secret", "password");
    rds_url_fini(&u);
    is_int(rds_url_parse("redis://127.0.0.1:6379?db=2&password=x%2By", &u, &err), 0,
        "db and password as query parameters");
    is_int(u.db, 2, "db=2");
    is_str(u.password, "x+y", "password= decoded");
    rds_url_fini(&u);
}

static void
test_ipv6_and_unix_socket(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_url u;

    is_int(rds_url_parse("redis://[::1]:7000/1", &u, &err), 0, "bracketed IPv6 parses");
    is_str(u.host, "::1", "IPv6 host without brackets");
    is_int(u.port, 7000, "IPv6 port");
    rds_url_fini(&u);
    is_int(rds_url_parse("unix:///run/redis/redis.sock?db=4", &u, &err), 0, "unix:// parses");
    is_str(u.path, "/run/redis/redis.sock", "socket path");
    ok(u.host == NULL, "no host for a socket");
    is_int(u.db, 4, "db from the query");
    rds_url_fini(&u);
}

static void
test_rediss_is_refused_not_downgraded(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_url u;

    is_int(rds_url_parse("rediss://:pw@cache:6380/0", &u, &err), -1, "rediss:// is refused");
    like(err.msg, "rediss:// (TLS) is not supported by this build's hiredis 0.14",
        "the refusal says why");
    unlike(err.msg, "pw", "the message does not echo the URL's password");
}

static void
test_bad_urls_name_the_problem(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_url u;

    is_int(rds_url_parse("redis://host:99999/0", &u, &err), -1, "port out of range");
    is_str(err.msg, "redis URL: bad port \"99999\" (use 1-65535)", "bad port message");
    is_int(rds_url_parse("redis://host:6379/abc", &u, &err), -1, "non-numeric db");
    is_str(err.msg, "redis URL: bad database number \"abc\" (use /0, /1, ...)", "bad db message");
    is_int(rds_url_parse("http://host", &u, &err), -1, "other schemes refused");
    like(err.msg, "must start with redis:// or unix://", "scheme message");
    is_int(rds_url_parse("redis://:%zz@host", &u, &err), -1, "bad escape refused");
    is_int(rds_url_parse("", &u, &err), -1, "empty URL refused");
    is_int(rds_url_parse("unix://relative.sock", &u, &err), -1, "relative socket path refused");
}

int
main(void)
{
    test_plain_url_defaults_to_localhost_6379_db0();
    test_full_url_with_user_password_and_db();
    test_password_only_forms();
    test_ipv6_and_unix_socket();
    test_rediss_is_refused_not_downgraded();
    test_bad_urls_name_the_problem();
    return done_testing();
}
