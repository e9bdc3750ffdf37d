# mk/limits.mk -- build fragment owned by the limits work package.
libsteward_a_SOURCES += common/cgroup.c common/cgroup.h
