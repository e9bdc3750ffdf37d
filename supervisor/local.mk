# supervisor/: the steward program: subcommands (cmd_*.c), the run loop, process table,
# spawn/reap/restart, reload, control socket.
bin_PROGRAMS += steward
steward_SOURCES = supervisor/main.c supervisor/cmds.h \
	supervisor/cmd_check.c supervisor/cmd_migrate.c \
	supervisor/sup.c supervisor/sup.h supervisor/sup_ctl.c \
	supervisor/instance.c \
	supervisor/listen.c supervisor/listen.h \
	supervisor/output.c supervisor/output.h \
	supervisor/proc_stat.c supervisor/proc_stat.h \
	supervisor/proc.c supervisor/proc.h supervisor/spawn.c \
	supervisor/reload.c supervisor/reload.h
steward_LDADD = $(WORKERS_LDADD)
