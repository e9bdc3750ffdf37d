#!/usr/bin/env bash
# t_metrics_promtool.sh -- the registry's exposition text passes `promtool check metrics`
# (format and lint), including escaped label values, histograms and the dropped counter.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

command -v promtool >/dev/null || skip_all "promtool not installed (apt-get install prometheus)"
dump=$top_builddir/tests/unit/met_dump
[ -x "$dump" ] || bail "missing $dump (make check builds it)"

"$dump" >"$T/metrics.txt"
out=$(promtool check metrics <"$T/metrics.txt" 2>&1); rc=$?
is "$rc" 0 "promtool accepts the exposition"
is "$out" "" "promtool reports no lint problems"
like "$(cat "$T/metrics.txt")" 'steward_metrics_series_dropped_total 8' \
    "series beyond max_series were dropped and counted"
like "$(cat "$T/metrics.txt")" 'tool_latency_seconds_bucket{tool="search",le="+Inf"} 1' \
    "labelled histogram ends with +Inf"
done_testing
