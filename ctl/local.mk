# ctl/: stewardctl.
