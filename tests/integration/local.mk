# tests/integration/: against the harness's private PostgreSQL and redis-server (skip on a
# laptop without them, fail in CI), and steward run with real processes.
INTEGRATION_TESTS = \
	tests/integration/t_check.sh \
	tests/integration/t_cli.sh \
	tests/integration/t_layers.sh \
	tests/integration/t_metrics_promtool.sh \
	tests/integration/t_migrate_basic.sh \
	tests/integration/t_migrate_concurrent.sh \
	tests/integration/t_migrate_drift.sh \
	tests/integration/t_migrate_dryrun.sh \
	tests/integration/t_schema_all.sh \
	tests/integration/t_schema_callcenter.sh \
	tests/integration/t_schema_conversations.sh \
	tests/integration/t_schema_planner.sh \
	tests/integration/t_schema_platform.sh \
	tests/integration/t_schema_revops.sh \
	tests/integration/t_schema_survey.sh \
	tests/integration/t_seed.sh \
	tests/integration/t_stewardctl.sh \
	tests/integration/t_sup_basic.sh \
	tests/integration/t_sup_crashloop.sh \
	tests/integration/t_sup_ctl.sh \
	tests/integration/t_sup_ctl_group.sh \
	tests/integration/t_sup_limits.sh \
	tests/integration/t_sup_listen.sh \
	tests/integration/t_sup_logs.sh \
	tests/integration/t_sup_output_utf8.sh \
	tests/integration/t_sup_pause.sh \
	tests/integration/t_sup_native.sh \
	tests/integration/t_sup_orphans.sh \
	tests/integration/t_sup_redact.sh \
	tests/integration/t_sup_reload.sh \
	tests/integration/t_sup_reload_readd.sh \
	tests/integration/t_sup_restart.sh \
	tests/integration/t_sup_retry.sh \
	tests/integration/t_sup_shutdown.sh \
	tests/integration/t_systemd_unit.sh \
	tests/integration/t_workers_native.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/sup_lib.sh \
	tests/integration/migrate_lib.sh tests/integration/schema_lib.sh

# Real cgroup v1 on this host (root); cg_workload is the child workload it execs.
check_PROGRAMS += tests/integration/t_cgroup_v1 tests/integration/cg_workload
tests_integration_cg_workload_LDADD =
TESTS += tests/integration/t_cgroup_v1

# steward check against tests/conf/bad/*.conf, each beside the exact .err it must print.
EXTRA_DIST += tests/conf/bad/bad_jobs.conf tests/conf/bad/bad_jobs.err tests/conf/bad/bad_limits.conf \
	tests/conf/bad/bad_limits.err tests/conf/bad/bad_listen.conf \
	tests/conf/bad/bad_listen.err tests/conf/bad/bad_log_level.conf \
	tests/conf/bad/bad_log_level.err tests/conf/bad/bad_restart.conf \
	tests/conf/bad/bad_restart.err tests/conf/bad/bad_urls.conf tests/conf/bad/bad_urls.err \
	tests/conf/bad/big_integer.conf tests/conf/bad/big_integer.err \
	tests/conf/bad/duplicate_worker.conf tests/conf/bad/duplicate_worker.err \
	tests/conf/bad/exec_no_command.conf tests/conf/bad/exec_no_command.err \
	tests/conf/bad/include_error.conf tests/conf/bad/include_error.err \
	tests/conf/bad/include_error.inc tests/conf/bad/many_errors.conf \
	tests/conf/bad/many_errors.err tests/conf/bad/missing_include.conf \
	tests/conf/bad/missing_include.err tests/conf/bad/missing_required.conf \
	tests/conf/bad/missing_required.err tests/conf/bad/redacted_url.conf \
	tests/conf/bad/redacted_url.err tests/conf/bad/syntax.conf tests/conf/bad/syntax.err \
	tests/conf/bad/unknown_key.conf tests/conf/bad/unknown_key.err \
	tests/conf/bad/unknown_kind.conf tests/conf/bad/unknown_kind.err \
	tests/conf/bad/unknown_source.conf tests/conf/bad/unknown_source.err \
	tests/conf/bad/unset_var.conf tests/conf/bad/unset_var.err tests/conf/bad/wrong_type.conf \
	tests/conf/bad/wrong_type.err
