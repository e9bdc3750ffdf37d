# supervisor/: the steward program.
bin_PROGRAMS += steward
steward_SOURCES = supervisor/main.c
