/* t_json.c -- jsn_parse errors with offsets, strictness, getters, compact dump. */
#include "config.h"

#include "json.h"
#include "tap.h"

static struct json_object *
parse(const char *s, struct st_error *err)
{
    return jsn_parse(s, strlen(s), err);
}

static void
test_parse_object_with_trailing_whitespace(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *o = parse("{\"cmd\":\"status\"} \n", &err);

    ok(o != NULL, "object with trailing whitespace parses");
    is_str(jsn_get_str(o, "cmd"), "status", "member cmd is status");
    json_object_put(o);
}

static void
test_parse_number_at_end_of_input(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *o = jsn_parse("42", 2, &err);

    ok(o != NULL && json_object_get_int(o) == 42, "a bare number ending the input parses");
    json_object_put(o);
}

static void
test_parse_only_len_bytes(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *o = jsn_parse("[1]garbage", 3, &err);

    ok(o != NULL && json_object_array_length(o) == 1, "bytes past len are not read");
    json_object_put(o);
}

static void
test_parse_error_has_offset(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(parse("{\"cmd\":}", &err) == NULL, "missing value fails");
    is_str(err.msg, "offset 7: unexpected character", "error names the offset");
}

static void
test_parse_truncated(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(parse("{\"cmd\":\"st", &err) == NULL, "truncated string fails");
    is_str(err.msg, "offset 10: unexpected end of data", "truncation named at the end");
}

static void
test_parse_trailing_data_rejected(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(parse("{} {}", &err) == NULL, "two values fail");
    is_str(err.msg, "offset 3: unexpected data after the JSON value", "second value refused");
}

static void
test_parse_embedded_nul_rejected(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(jsn_parse("{}\0x", 4, &err) == NULL, "a NUL after the value fails");
    is_str(err.msg, "offset 2: unexpected data after the JSON value", "NUL is trailing data");
}

static void
test_parse_strict(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(parse("{\"a\":1,}", &err) == NULL, "trailing comma in an object is not JSON");
    ok(parse("[1,]", &err) == NULL, "trailing comma is not JSON");
    ok(parse("\"\xff\"", &err) == NULL, "invalid UTF-8 is refused");
    ok(parse("", &err) == NULL, "empty input fails");
    is_str(err.msg, "offset 0: unexpected end of data", "empty input message");
    ok(parse("null", &err) == NULL, "null is refused (it is indistinguishable from failure)");
}

static void
test_parse_depth_limited(void)
{
    struct st_error err = ST_ERROR_INIT;
    char deep[200];

    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    ok(jsn_parse(deep, sizeof(deep), &err) == NULL, "100 nested arrays are refused");
    like(err.msg, "nesting too deep", "depth error names the cause");
}

static void
test_getters(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *o = parse("{\"s\":\"x\",\"i\":-7,\"d\":3.0,\"f\":2.5,\"b\":true,"
        "\"o\":{},\"a\":[],\"big\":99999999999999999999}", &err);
    int64_t i = 0;
    double d = 0;
    bool b = false;

    ok(jsn_get_int(o, "i", &i) && i == -7, "int member");
    ok(jsn_get_int(o, "d", &i) && i == 3, "integral double counts as int");
    ok(!jsn_get_int(o, "f", &i), "2.5 is not an int");
    ok(!jsn_get_int(o, "s", &i), "string is not an int");
    ok(!jsn_get_int(o, "big", &i), "int beyond int64 is not an int");
    ok(jsn_get_double(o, "f", &d) && d == 2.5, "double member");
    ok(jsn_get_bool(o, "b", &b) && b, "bool member");
    ok(jsn_get_str(o, "i") == NULL, "int is not a string");
    ok(jsn_get_str(o, "missing") == NULL, "absent member");
    ok(jsn_get_obj(o, "o") != NULL && jsn_get_obj(o, "a") == NULL, "object member");
    ok(jsn_get_array(o, "a") != NULL && jsn_get_array(o, "o") == NULL, "array member");
    ok(jsn_get_str(NULL, "s") == NULL, "NULL object has no members");
    json_object_put(o);
}

static void
test_dump_compact_no_slash_escape(void)
{
    struct json_object *o = json_object_new_object();
    char *s;

    json_object_object_add(o, "path", json_object_new_string("/run/x\n"));
    json_object_object_add(o, "n", json_object_new_int(1));
    s = jsn_dump(o);
    is_str(s, "{\"path\":\"/run/x\\n\",\"n\":1}", "compact, slashes kept, newline escaped");
    free(s);
    json_object_put(o);
}

int
main(void)
{
    test_parse_object_with_trailing_whitespace();
    test_parse_number_at_end_of_input();
    test_parse_only_len_bytes();
    test_parse_error_has_offset();
    test_parse_truncated();
    test_parse_trailing_data_rejected();
    test_parse_embedded_nul_rejected();
    test_parse_strict();
    test_parse_depth_limited();
    test_getters();
    test_dump_compact_no_slash_escape();
    return done_testing();
}
