/*
 * json.h -- JSON helpers over json-c: parsing with error positions, typed getters,
 * compact serialization. json-c owns the json_ prefix; ours is jsn_.
 * Tests: tests/unit/t_json.c
 */
#ifndef STEWARD_JSON_H
#define STEWARD_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "util.h"

/* Parse exactly one JSON value from text (len bytes; trailing whitespace allowed). Returns a
   new object (caller json_object_put), or NULL with err "offset N: <tokener message>".
   A JSON "null" document parses to NULL too, with err "offset 0: null is not a value here"
   -- callers that need null must not use this. */
struct json_object *jsn_parse(const char *text, size_t len, struct st_error *err);

/* Member key of object o as a string; NULL if o is not an object, key absent or not a string. */
const char *jsn_get_str(struct json_object *o, const char *key);
/* Member key as an integer (a JSON int, or a double with an integral value); false otherwise
   (out untouched). */
bool jsn_get_int(struct json_object *o, const char *key, int64_t *out);
/* Member key as a number (int or double); false otherwise (out untouched). */
bool jsn_get_double(struct json_object *o, const char *key, double *out);
/* Member key as a boolean; false when absent or not a boolean (out untouched). */
bool jsn_get_bool(struct json_object *o, const char *key, bool *out);
/* Member key if it is an object (borrowed), else NULL. */
struct json_object *jsn_get_obj(struct json_object *o, const char *key);
/* Member key if it is an array (borrowed), else NULL. */
struct json_object *jsn_get_array(struct json_object *o, const char *key);

/* Serialize compactly (JSON_C_TO_STRING_PLAIN | NOSLASHESCAPE) into a malloc'd string
   (caller frees). NULL o gives "null". */
char *jsn_dump(struct json_object *o);
/* Same, indented with two spaces (for people). */
char *jsn_dump_pretty(struct json_object *o);

#endif
