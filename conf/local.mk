# conf/: the commented default and the profiles install as references under
# $(pkgdatadir)/conf/ (copy one to /etc/steward/steward.conf); `make install` never
# overwrites a live configuration.
nobase_dist_pkgdata_DATA += conf/steward.conf \
	conf/examples/callcenter.conf conf/examples/voice-agent.conf \
	conf/examples/planner.conf conf/examples/revops.conf conf/examples/survey.conf
