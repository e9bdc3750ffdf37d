# mk/cfg.mk -- build fragment owned by the cfg work package.
steward_SOURCES += supervisor/cmd_check.c
