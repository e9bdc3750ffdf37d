# ctl/: stewardctl, the control-protocol client.
bin_PROGRAMS += stewardctl
stewardctl_SOURCES = ctl/stewardctl.c
