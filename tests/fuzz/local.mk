# tests/fuzz/: libFuzzer targets over what outsiders send (configure CC=clang --enable-fuzz;
# `make fuzz`). A target: build under ENABLE_FUZZ only, link with -fsanitize=fuzzer (the
# compile flags come from FUZZ_CFLAGS), list it in FUZZ_TARGETS, ship its source and seed
# corpus tests/fuzz/corpus/<name>/ through EXTRA_DIST.
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_cfg tests/fuzz/fuzz_ctl \
	tests/fuzz/fuzz_redact
tests_fuzz_fuzz_cfg_SOURCES = tests/fuzz/fuzz_cfg.c
tests_fuzz_fuzz_cfg_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_ctl_SOURCES = tests/fuzz/fuzz_ctl.c
tests_fuzz_fuzz_ctl_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_redact_SOURCES = tests/fuzz/fuzz_redact.c
tests_fuzz_fuzz_redact_LDFLAGS = -fsanitize=fuzzer
FUZZ_TARGETS += tests/fuzz/fuzz_cfg$(EXEEXT) tests/fuzz/fuzz_ctl$(EXEEXT) \
	tests/fuzz/fuzz_redact$(EXEEXT)
endif
EXTRA_DIST += tests/fuzz/fuzz_cfg.c tests/fuzz/fuzz_ctl.c tests/fuzz/fuzz_redact.c \
	tests/fuzz/corpus/cfg/bad_jobs.conf tests/fuzz/corpus/cfg/expand.conf \
	tests/fuzz/corpus/cfg/many_errors.conf tests/fuzz/corpus/cfg/minimal.conf \
	tests/fuzz/corpus/cfg/revops.conf tests/fuzz/corpus/cfg/voice-agent.conf \
	tests/fuzz/corpus/cfg/unterminated_conninfo.conf \
	tests/fuzz/corpus/ctl/args_array tests/fuzz/corpus/ctl/metrics \
	tests/fuzz/corpus/ctl/restart tests/fuzz/corpus/ctl/status \
	tests/fuzz/corpus/ctl/truncated tests/fuzz/corpus/ctl/twice tests/fuzz/corpus/ctl/unicode \
	tests/fuzz/corpus/ctl/unknown \
	tests/fuzz/corpus/redact/keyword_quoted tests/fuzz/corpus/redact/raw_slash \
	tests/fuzz/corpus/redact/secret_in_text tests/fuzz/corpus/redact/short_secret \
	tests/fuzz/corpus/redact/unterminated_quote tests/fuzz/corpus/redact/uri_userinfo_query
