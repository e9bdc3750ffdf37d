# ctl/: stewardctl, the control-protocol client (owned by the control package, mk/control.mk).
bin_PROGRAMS += stewardctl
stewardctl_SOURCES = ctl/stewardctl.c
