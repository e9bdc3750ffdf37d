# mk/limits.mk -- build fragment owned by the limits work package.
libsteward_a_SOURCES += common/cgroup.c common/cgroup.h

check_PROGRAMS += tests/unit/t_cgroup
TESTS += tests/unit/t_cgroup

# Real cgroup v1 on this host (root); cg_workload is the child workload it execs.
check_PROGRAMS += tests/integration/t_cgroup_v1 tests/integration/cg_workload
tests_integration_cg_workload_LDADD =
TESTS += tests/integration/t_cgroup_v1
