#!/bin/bash
# t_sup_output_utf8.sh -- exec output records are strict UTF-8: 1 MiB of random bytes
# from a program becomes records that python decodes with bytes.decode('utf-8').
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; };
workers = ( { name = "noise"; kind = "exec";
              command = ["/bin/sh", "-c", "head -c 1048576 /dev/urandom; echo; echo END-OF-NOISE; exec sleep 1000"]; } );
EOF
sup_start
wait_until 30 grep -q END-OF-NOISE "$T/stderr"
ok "grep -q END-OF-NOISE '$T/stderr'" "the whole megabyte was logged"
records=$(grep -c '"worker":"noise"' "$T/stderr")
ok "[ $records -gt 1000 ]" "many records from it ($records)"
ok stderr_all_json "every record decodes as strict UTF-8 and is one JSON object"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
done_testing
