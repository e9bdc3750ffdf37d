# mk/cfg.mk -- build fragment owned by the cfg work package: configuration loading
# (common/cfg.[ch], the only user of libconfig), `steward check`, the shipped configs.
libsteward_a_SOURCES += common/cfg.c common/cfg.h
steward_SOURCES += supervisor/cmd_check.c

# The commented default and the profiles install as references under
# $(pkgdatadir)/conf/ (copy one to /etc/steward/steward.conf); `make install` never
# overwrites a live configuration.
nobase_dist_pkgdata_DATA += conf/steward.conf \
	conf/examples/callcenter.conf conf/examples/voice-agent.conf \
	conf/examples/planner.conf conf/examples/revops.conf conf/examples/survey.conf

check_PROGRAMS += tests/unit/t_cfg
TESTS += tests/unit/t_cfg
