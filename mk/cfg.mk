# mk/cfg.mk -- build fragment owned by the cfg work package: configuration loading
# (common/cfg.[ch], the only user of libconfig), `steward check`, the shipped configs.
libsteward_a_SOURCES += common/cfg.c common/cfg.h
steward_SOURCES += supervisor/cmd_check.c

# The commented default and the profiles install as references under
# $(pkgdatadir)/conf/ (copy one to /etc/steward/steward.conf); `make install` never
# overwrites a live configuration.
nobase_dist_pkgdata_DATA += conf/steward.conf \
	conf/examples/callcenter.conf conf/examples/voice-agent.conf \
	conf/examples/planner.conf conf/examples/revops.conf conf/examples/survey.conf

check_PROGRAMS += tests/unit/t_cfg
TESTS += tests/unit/t_cfg

# steward check against the shipped configs and tests/conf/bad/*.conf (golden .err files).
TESTS += tests/integration/t_check.sh
EXTRA_DIST += tests/integration/t_check.sh \
	tests/conf/bad/bad_jobs.conf tests/conf/bad/bad_jobs.err \
	tests/conf/bad/big_integer.conf tests/conf/bad/big_integer.err \
	tests/conf/bad/bad_limits.conf tests/conf/bad/bad_limits.err \
	tests/conf/bad/bad_listen.conf tests/conf/bad/bad_listen.err \
	tests/conf/bad/bad_log_level.conf tests/conf/bad/bad_log_level.err \
	tests/conf/bad/bad_restart.conf tests/conf/bad/bad_restart.err \
	tests/conf/bad/bad_urls.conf tests/conf/bad/bad_urls.err \
	tests/conf/bad/duplicate_worker.conf tests/conf/bad/duplicate_worker.err \
	tests/conf/bad/exec_no_command.conf tests/conf/bad/exec_no_command.err \
	tests/conf/bad/include_error.conf tests/conf/bad/include_error.err \
	tests/conf/bad/include_error.inc \
	tests/conf/bad/many_errors.conf tests/conf/bad/many_errors.err \
	tests/conf/bad/missing_include.conf tests/conf/bad/missing_include.err \
	tests/conf/bad/missing_required.conf tests/conf/bad/missing_required.err \
	tests/conf/bad/redacted_url.conf tests/conf/bad/redacted_url.err \
	tests/conf/bad/syntax.conf tests/conf/bad/syntax.err \
	tests/conf/bad/unknown_key.conf tests/conf/bad/unknown_key.err \
	tests/conf/bad/unknown_kind.conf tests/conf/bad/unknown_kind.err \
	tests/conf/bad/unknown_source.conf tests/conf/bad/unknown_source.err \
	tests/conf/bad/unset_var.conf tests/conf/bad/unset_var.err \
	tests/conf/bad/wrong_type.conf tests/conf/bad/wrong_type.err

# libFuzzer target over cfg_load_string (configure CC=clang --enable-fuzz; `make fuzz`).
# Pattern for other targets: build under ENABLE_FUZZ only, link with -fsanitize=fuzzer
# (the compile flags come from FUZZ_CFLAGS), list it in FUZZ_TARGETS, and ship the
# source and seed corpus tests/fuzz/corpus/<name>/ through EXTRA_DIST.
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_cfg
tests_fuzz_fuzz_cfg_SOURCES = tests/fuzz/fuzz_cfg.c
tests_fuzz_fuzz_cfg_LDFLAGS = -fsanitize=fuzzer
FUZZ_TARGETS += tests/fuzz/fuzz_cfg$(EXEEXT)
endif
EXTRA_DIST += tests/fuzz/fuzz_cfg.c \
	tests/fuzz/corpus/cfg/minimal.conf tests/fuzz/corpus/cfg/expand.conf \
	tests/fuzz/corpus/cfg/revops.conf tests/fuzz/corpus/cfg/voice-agent.conf \
	tests/fuzz/corpus/cfg/many_errors.conf tests/fuzz/corpus/cfg/bad_jobs.conf
