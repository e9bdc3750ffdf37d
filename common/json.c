/*
 * json.c -- JSON helpers over json-c.
 * Owns parsing with error positions (jsn_parse: strict, one value, trailing whitespace
 * only, valid UTF-8), typed member getters and compact serialization. Leaves building
 * values to json-c itself (json_object_new_*), which callers use directly.
 * Tests: tests/unit/t_json.c
 */
#include "config.h"

#include "json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define JSN_MAX_DEPTH 64

/* Parse exactly one JSON value; see json.h. */
struct json_object *
jsn_parse(const char *text, size_t len, struct st_error *err)
{
    struct json_tokener *tok = NULL;
    struct json_object *o = NULL;
    enum json_tokener_error jerr;
    char *copy = NULL;
    size_t end;

    if (len > (size_t)INT32_MAX - 1) {
        st_error_set(err, "offset 0: document too large (%zu bytes)", len);
        return NULL;
    }
    /* A NUL-terminated copy: passing the NUL tells the tokener the input ends here, so a
       number at the very end ("42") completes instead of waiting for more. */
    copy = st_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    if ((tok = json_tokener_new_ex(JSN_MAX_DEPTH)) == NULL) {
        st_error_set(err, "offset 0: out of memory");
        goto fail;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS
        | JSON_TOKENER_VALIDATE_UTF8);
    o = json_tokener_parse_ex(tok, copy, (int)len + 1);
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    if (jerr != json_tokener_success) {
        if (jerr == json_tokener_continue)
            st_error_set(err, "offset %zu: unexpected end of input", len);
        else
            st_error_set(err, "offset %zu: %s", end > len ? len : end,
                json_tokener_error_desc(jerr));
        goto fail;
    }
    if (end > len)      /* the tokener consumed our terminating NUL */
        end = len;
    for (; end < len; end++)
        if (strchr(" \t\r\n", copy[end]) == NULL || copy[end] == '\0')
            break;
    if (end < len) {
        st_error_set(err, "offset %zu: unexpected data after the JSON value", end);
        goto fail;
    }
    if (o == NULL) {
        st_error_set(err, "offset 0: null is not a value here");
        goto fail;
    }
    json_tokener_free(tok);
    free(copy);
    return o;
fail:
    json_object_put(o);
    json_tokener_free(tok);
    free(copy);
    return NULL;
}

/* Member key of o, borrowed; NULL when o is not an object or has no such key. */
static struct json_object *
jsn_member(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;

    if (o == NULL || !json_object_is_type(o, json_type_object))
        return NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

/* String member, borrowed from o; NULL if absent or not a string. */
const char *
jsn_get_str(struct json_object *o, const char *key)
{
    struct json_object *v = jsn_member(o, key);

    if (v == NULL || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* Integer member (or an integral double within range); false otherwise. */
bool
jsn_get_int(struct json_object *o, const char *key, int64_t *out)
{
    struct json_object *v = jsn_member(o, key);
    double d;

    if (v == NULL)
        return false;
    if (json_object_is_type(v, json_type_int)) {
        errno = 0;
        int64_t i = json_object_get_int64(v);
        /* json-c clamps values beyond int64 and sets errno; treat those as not an int */
        if (errno != 0 || (i == INT64_MAX && json_object_get_uint64(v) > INT64_MAX))
            return false;
        *out = i;
        return true;
    }
    if (json_object_is_type(v, json_type_double)) {
        d = json_object_get_double(v);
        if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 9.2e18)
            return false;
        *out = (int64_t)d;
        return true;
    }
    return false;
}

/* Numeric member (int or double); false otherwise. */
bool
jsn_get_double(struct json_object *o, const char *key, double *out)
{
    struct json_object *v = jsn_member(o, key);

    if (v == NULL || !(json_object_is_type(v, json_type_int)
            || json_object_is_type(v, json_type_double)))
        return false;
    *out = json_object_get_double(v);
    return true;
}

/* Boolean member; false when absent or not a boolean. */
bool
jsn_get_bool(struct json_object *o, const char *key, bool *out)
{
    struct json_object *v = jsn_member(o, key);

    if (v == NULL || !json_object_is_type(v, json_type_boolean))
        return false;
    *out = json_object_get_boolean(v);
    return true;
}

/* Object member, borrowed; NULL when absent or not an object. */
struct json_object *
jsn_get_obj(struct json_object *o, const char *key)
{
    struct json_object *v = jsn_member(o, key);

    return v != NULL && json_object_is_type(v, json_type_object) ? v : NULL;
}

/* Array member, borrowed; NULL when absent or not an array. */
struct json_object *
jsn_get_array(struct json_object *o, const char *key)
{
    struct json_object *v = jsn_member(o, key);

    return v != NULL && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* Compact serialization, malloc'd (caller frees). */
char *
jsn_dump(struct json_object *o)
{
    return st_xstrdup(json_object_to_json_string_ext(o,
        JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Indented serialization for people, malloc'd (caller frees). */
char *
jsn_dump_pretty(struct json_object *o)
{
    return st_xstrdup(json_object_to_json_string_ext(o,
        JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}
