/*
 * cmds.h -- the steward subcommands, one file each (supervisor/cmd_<name>.c, or the
 * run loop for `run`). main.c dispatches; each returns the exit code (0 ok, 1
 * operational error, 2 usage error) and prints its own diagnostics on stderr.
 * argv[0] is the subcommand name.
 */
#ifndef STEWARD_CMDS_H
#define STEWARD_CMDS_H

int cmd_run(int argc, char **argv);         /* supervisor/sup.c */
int cmd_check(int argc, char **argv);       /* supervisor/cmd_check.c */
int cmd_migrate(int argc, char **argv);     /* supervisor/cmd_migrate.c */
int cmd_seed(int argc, char **argv);        /* supervisor/cmd_migrate.c */

#endif
