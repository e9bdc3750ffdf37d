# tests/unit/: one TAP program per module, t_<module>.c (make check; valgrind runs these).
UNIT_TESTS = \
	tests/unit/t_util \
	tests/unit/t_log \
	tests/unit/t_backoff \
	tests/unit/t_cfg \
	tests/unit/t_cfg_src \
	tests/unit/t_json \
	tests/unit/t_metrics \
	tests/unit/t_ctl \
	tests/unit/t_uuid7 \
	tests/unit/t_db \
	tests/unit/t_digest \
	tests/unit/t_migrate_lines \
	tests/unit/t_redis_url \
	tests/unit/t_redis \
	tests/unit/t_cgroup \
	tests/unit/t_notify \
	tests/unit/t_proc \
	tests/unit/t_reload \
	tests/unit/t_proc_stat \
	tests/unit/t_output \
	tests/unit/t_listen \
	tests/unit/t_instance \
	tests/unit/t_worker
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
# Helpers the integration tests run: a metrics dump for promtool, an echo control server.
check_PROGRAMS += tests/unit/met_dump tests/unit/ctl_echo_server

# Supervisor-private pieces are tested by compiling them in.
tests_unit_t_proc_SOURCES = tests/unit/t_proc.c supervisor/proc.c
tests_unit_t_proc_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_reload_SOURCES = tests/unit/t_reload.c supervisor/reload.c supervisor/proc.c
tests_unit_t_reload_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_proc_stat_SOURCES = tests/unit/t_proc_stat.c supervisor/proc_stat.c
tests_unit_t_proc_stat_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_output_SOURCES = tests/unit/t_output.c supervisor/output.c
tests_unit_t_output_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_listen_SOURCES = tests/unit/t_listen.c supervisor/listen.c
tests_unit_t_listen_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_instance_SOURCES = tests/unit/t_instance.c supervisor/instance.c \
	supervisor/proc.c supervisor/output.c supervisor/proc_stat.c supervisor/listen.c
tests_unit_t_instance_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
tests_unit_t_instance_LDADD = $(WORKERS_LDADD)
# t_worker runs the native kinds' entry points without the supervisor.
tests_unit_t_worker_LDADD = $(WORKERS_LDADD)
