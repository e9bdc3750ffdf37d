# supervisor/: the steward program. Subcommand files are added by their work package's
# fragment (mk/cfg.mk: cmd_check.c; mk/db.mk: cmd_migrate.c; mk/supervisor.mk: the run loop).
bin_PROGRAMS += steward
steward_SOURCES = supervisor/main.c supervisor/cmds.h
TESTS += tests/integration/t_cli.sh
EXTRA_DIST += tests/integration/t_cli.sh
