# tests/: unit tests (C, TAP) and integration tests (sh, TAP) against real servers.
EXTRA_DIST += tests/tap.h

check_PROGRAMS += tests/unit/t_util tests/unit/t_log tests/unit/t_backoff
TESTS += tests/unit/t_util tests/unit/t_log tests/unit/t_backoff
