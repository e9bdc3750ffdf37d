# tests/: the TAP helpers shared by unit/ (C) and integration/ (sh, real servers), and
# the suite targets. unit/, integration/ and fuzz/ have their own local.mk.
EXTRA_DIST += tests/tap.h tests/lib/tap.sh tests/lib/servers.sh

# `make check-unit`: only the C unit tests (the sanitizer suite runs these);
# `make check-valgrind`: the unit tests under valgrind (errors or leaks fail).
VALGRIND = valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99
check-unit:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(filter tests/unit/%,$(TESTS))"
check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(filter tests/unit/%,$(TESTS))" LOG_COMPILER="$(VALGRIND)"
.PHONY: check-unit check-valgrind

# `make fuzz` (with --enable-fuzz): build every libFuzzer target listed in FUZZ_TARGETS.
fuzz: $(FUZZ_TARGETS)
.PHONY: fuzz
