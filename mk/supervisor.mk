# mk/supervisor.mk -- build fragment owned by the supervisor work package.
steward_SOURCES += supervisor/sup.c
libsteward_a_SOURCES += common/notify.c common/notify.h

check_PROGRAMS += tests/unit/t_notify
TESTS += tests/unit/t_notify
