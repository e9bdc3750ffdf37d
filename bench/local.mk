# bench/: benchmarks run by hand (see each file's header), never part of make check.
# Each prints steward's figure, a baseline measured in the same run, and the ratio.
EXTRA_DIST += bench/supervisor bench/restart_probe.py \
	bench/queries bench/queries_load.sql bench/queries_snippets.sql
