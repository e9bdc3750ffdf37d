# mk/control.mk -- build fragment owned by the control-plane work package (ctl, json, metrics, stewardctl).
libsteward_a_SOURCES += \
	common/json.c common/json.h \
	common/metrics.c common/metrics.h \
	common/ctl.c common/ctl.h

check_PROGRAMS += tests/unit/t_json
TESTS += tests/unit/t_json
check_PROGRAMS += tests/unit/t_metrics
TESTS += tests/unit/t_metrics
check_PROGRAMS += tests/unit/met_dump
TESTS += tests/integration/t_metrics_promtool.sh
EXTRA_DIST += tests/integration/t_metrics_promtool.sh
check_PROGRAMS += tests/unit/t_ctl
TESTS += tests/unit/t_ctl
check_PROGRAMS += tests/unit/ctl_echo_server
TESTS += tests/integration/t_stewardctl.sh
EXTRA_DIST += tests/integration/t_stewardctl.sh

# libFuzzer target over ctl_handle_line (configure --enable-fuzz with clang; `make fuzz`).
if ENABLE_FUZZ
# noinst_PROGRAMS, not EXTRA_PROGRAMS: Makefile.am does not declare EXTRA_PROGRAMS.
noinst_PROGRAMS += tests/fuzz/fuzz_ctl
tests_fuzz_fuzz_ctl_SOURCES = tests/fuzz/fuzz_ctl.c
tests_fuzz_fuzz_ctl_LDFLAGS = -fsanitize=fuzzer
FUZZ_TARGETS += tests/fuzz/fuzz_ctl$(EXEEXT)
endif
EXTRA_DIST += tests/fuzz/fuzz_ctl.c tests/fuzz/corpus/ctl/status tests/fuzz/corpus/ctl/restart \
	tests/fuzz/corpus/ctl/twice tests/fuzz/corpus/ctl/metrics tests/fuzz/corpus/ctl/unknown \
	tests/fuzz/corpus/ctl/args_array tests/fuzz/corpus/ctl/unicode tests/fuzz/corpus/ctl/truncated
