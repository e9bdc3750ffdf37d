# Data files installed under $(pkgdatadir): migration sets, seeds, example configs.
