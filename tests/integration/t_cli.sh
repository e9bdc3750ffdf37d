#!/bin/bash
# t_cli.sh -- the steward command line itself: version, help, usage errors (exit 2).
. "$top_srcdir/tests/lib/tap.sh"

out=$("$STEWARD" version); rc=$?
is "$rc" 0 "steward version exits 0"
like "$out" "steward " "it names the program"
ok "[[ '$out' =~ ^steward\ [0-9]+\.[0-9]+\.[0-9]+ ]]" "and a version number"
is "$("$STEWARD" --version)" "$out" "--version says the same"

"$STEWARD" --help >"$T/help" 2>&1
is "$?" 0 "--help exits 0"
for cmd in run check migrate seed version; do
    like "$(cat "$T/help")" "steward $cmd" "--help lists $cmd"
done

"$STEWARD" >/dev/null 2>"$T/err"
is "$?" 2 "no subcommand: usage error, exit 2"
like "$(cat "$T/err")" "usage:" "with the usage"

"$STEWARD" frobnicate >/dev/null 2>"$T/err"
is "$?" 2 "unknown subcommand: exit 2"
like "$(cat "$T/err")" "steward: unknown command: frobnicate" "it is named"

"$STEWARD" check -c >/dev/null 2>&1
is "$?" 2 "-c without a file: exit 2"
"$STEWARD" migrate -c /dev/null sideways >/dev/null 2>"$T/err"
is "$?" 2 "migrate with an unknown action: exit 2"
done_testing
