# mk/limits.mk -- build fragment owned by the limits work package.
libsteward_a_SOURCES += common/cgroup.c common/cgroup.h

check_PROGRAMS += tests/unit/t_cgroup
TESTS += tests/unit/t_cgroup
