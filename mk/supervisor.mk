# mk/supervisor.mk -- build fragment owned by the supervisor work package.
steward_SOURCES += supervisor/sup.c supervisor/sup.h supervisor/sup_ctl.c \
	supervisor/proc.c supervisor/proc.h supervisor/spawn.c \
	supervisor/reload.c supervisor/reload.h
libsteward_a_SOURCES += common/notify.c common/notify.h

check_PROGRAMS += tests/unit/t_notify
TESTS += tests/unit/t_notify

check_PROGRAMS += tests/unit/t_proc tests/unit/t_reload
TESTS += tests/unit/t_proc tests/unit/t_reload
tests_unit_t_proc_SOURCES = tests/unit/t_proc.c supervisor/proc.c
tests_unit_t_proc_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_reload_SOURCES = tests/unit/t_reload.c supervisor/reload.c
tests_unit_t_reload_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor

# Integration: steward run with real processes (exec workers, then native kinds).
EXTRA_DIST += tests/integration/sup_lib.sh
TESTS += tests/integration/t_sup_basic.sh
EXTRA_DIST += tests/integration/t_sup_basic.sh
TESTS += tests/integration/t_sup_restart.sh tests/integration/t_sup_limits.sh
EXTRA_DIST += tests/integration/t_sup_restart.sh tests/integration/t_sup_limits.sh
TESTS += tests/integration/t_sup_reload.sh tests/integration/t_sup_shutdown.sh tests/integration/t_sup_ctl.sh
EXTRA_DIST += tests/integration/t_sup_reload.sh tests/integration/t_sup_shutdown.sh tests/integration/t_sup_ctl.sh
TESTS += tests/integration/t_sup_native.sh
EXTRA_DIST += tests/integration/t_sup_native.sh

# systemd: the unit is generated with the install paths; snippets are installed as is.
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = systemd/steward.service
tmpfilesdir = $(prefix)/lib/tmpfiles.d
tmpfiles_DATA = systemd/tmpfiles.d/steward.conf
sysusersdir = $(prefix)/lib/sysusers.d
sysusers_DATA = systemd/sysusers.d/steward.conf
systemd/tmpfiles.d/steward.conf: $(srcdir)/systemd/steward.tmpfiles
	$(MKDIR_P) systemd/tmpfiles.d
	cp $(srcdir)/systemd/steward.tmpfiles $@
systemd/sysusers.d/steward.conf: $(srcdir)/systemd/steward.sysusers
	$(MKDIR_P) systemd/sysusers.d
	cp $(srcdir)/systemd/steward.sysusers $@
CLEANFILES += systemd/tmpfiles.d/steward.conf systemd/sysusers.d/steward.conf
systemd/steward.service: $(srcdir)/systemd/steward.service.in Makefile
	$(MKDIR_P) systemd
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/systemd/steward.service.in >$@
CLEANFILES += systemd/steward.service
EXTRA_DIST += systemd/steward.service.in systemd/steward.tmpfiles systemd/steward.sysusers
TESTS += tests/integration/t_systemd_unit.sh
EXTRA_DIST += tests/integration/t_systemd_unit.sh
TESTS += tests/integration/t_sup_retry.sh
EXTRA_DIST += tests/integration/t_sup_retry.sh
TESTS += tests/integration/t_sup_logs.sh
EXTRA_DIST += tests/integration/t_sup_logs.sh
TESTS += tests/integration/t_sup_orphans.sh
EXTRA_DIST += tests/integration/t_sup_orphans.sh
TESTS += tests/integration/t_sup_ctl_group.sh
EXTRA_DIST += tests/integration/t_sup_ctl_group.sh
TESTS += tests/integration/t_sup_reload_readd.sh
EXTRA_DIST += tests/integration/t_sup_reload_readd.sh
TESTS += tests/integration/t_sup_redact.sh
EXTRA_DIST += tests/integration/t_sup_redact.sh
