# tests/: unit tests (C, TAP) and integration tests (sh, TAP) against real servers.
EXTRA_DIST += tests/tap.h

check_PROGRAMS += tests/unit/t_util tests/unit/t_log tests/unit/t_backoff
TESTS += tests/unit/t_util tests/unit/t_log tests/unit/t_backoff

# `make check-unit`: only the C unit tests (the sanitizer suite runs these);
# `make check-valgrind`: the unit tests under valgrind (errors or leaks fail).
VALGRIND = valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99
check-unit:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(filter tests/unit/%,$(TESTS))"
check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(filter tests/unit/%,$(TESTS))" LOG_COMPILER="$(VALGRIND)"
.PHONY: check-unit check-valgrind

TESTS += tests/integration/t_layers.sh
EXTRA_DIST += tests/integration/t_layers.sh

# `make fuzz` (with --enable-fuzz): build every libFuzzer target listed in FUZZ_TARGETS.
FUZZ_TARGETS =
fuzz: $(FUZZ_TARGETS)
.PHONY: fuzz
