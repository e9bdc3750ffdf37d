/* t_migrate_lines.c -- mapping PostgreSQL error positions and statement indexes to lines. */
#include "config.h"

#include <string.h>

#include "migrate.h"
#include "tap.h"

static void
test_position_to_line(void)
{
    const char *t = "CREATE TABLE a (x int);\n\nCREATE TABL b (y int);\n";

    is_int(mig_line_of(t, 1), 1, "position 1 is line 1");
    is_int(mig_line_of(t, 24), 1, "the newline itself still belongs to line 1");
    is_int(mig_line_of(t, 25), 2, "first char after the newline is line 2");
    is_int(mig_line_of(t, (int)(strstr(t, "TABL b") - t) + 1), 3, "TABL on line 3");
    is_int(mig_line_of(t, 10000), 4, "past the end: last line");
}

static void
test_position_counts_characters_not_bytes(void)
{
    /* "é" is 2 bytes, 1 character: PostgreSQL counts characters. */
    const char *t = "-- café\n-- é\nSELEC 1";

    is_int(mig_line_of(t, 14), 3, "character 14 (S of SELEC) is on line 3");
    is_int(mig_line_of(t, 13), 2, "character 13 (newline ending line 2) is on line 2");
}

static void
test_statement_lines_skip_comments_and_quotes(void)
{
    const char *t =
        "-- header; with a semicolon\n"     /* 1 */
        "/* block; /* nested; */ still; */\n" /* 2 */
        "CREATE TABLE a (x text DEFAULT ';');\n" /* 3: statement 0 */
        "\n"                                 /* 4 */
        "CREATE FUNCTION f() RETURNS int\n"  /* 5: statement 1 */
        "LANGUAGE plpgsql AS $body$\n"       /* 6 */
        "BEGIN RETURN 1; END\n"              /* 7 */
        "$body$;\n"                          /* 8 */
        ";;\n"                               /* 9: empty statements do not count */
        "SELECT E'it\\'s; here', \"we;ird\"\n" /* 10: statement 2 */
        "  , $1;\n"                          /* 11 */
        "  INSERT INTO a VALUES ('x')\n";    /* 12: statement 3, no final semicolon */

    is_int(mig_statement_line(t, 0), 3, "statement 0 starts on line 3");
    is_int(mig_statement_line(t, 1), 5, "dollar-quoted body does not split statement 1");
    is_int(mig_statement_line(t, 2), 10, "E'' string and quoted identifier skipped");
    is_int(mig_statement_line(t, 3), 12, "last statement without a semicolon");
    is_int(mig_statement_line(t, 4), 0, "no fifth statement");
}

static void
test_error_line_prefers_position(void)
{
    const char *t = "SELECT 1;\nSELECT 2;\nSELEC 3;\n";
    struct db_diag d;

    memset(&d, 0, sizeof(d));
    d.position = 21;
    is_int(mig_error_line(t, &d, 2), 3, "statement position wins");
    d.position = 0;
    is_int(mig_error_line(t, &d, 1), 2, "no position: the failing statement's line");
    is_int(mig_error_line(t, &d, -1), 0, "nothing known: 0");
}

static void
test_error_line_from_internal_query(void)
{
    const char *t = "DO $$\nBEGIN\n  PERFORM 1;\n  PERFORM nosuch;\nEND $$;\n";
    struct db_diag d;

    memset(&d, 0, sizeof(d));
    d.internal_query = "SELECT nosuch";     /* not in the text: fall back to statement */
    d.internal_position = 8;
    is_int(mig_error_line(t, &d, 0), 1, "unknown internal query: statement line");
    d.internal_query = "PERFORM nosuch";
    is_int(mig_error_line(t, &d, 0), 4, "internal query found in the text: its line");
}

int
main(void)
{
    test_position_to_line();
    test_position_counts_characters_not_bytes();
    test_statement_lines_skip_comments_and_quotes();
    test_error_line_prefers_position();
    test_error_line_from_internal_query();
    return done_testing();
}
