# systemd/: the unit is generated with the install paths; snippets are installed as is.
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = systemd/steward.service
tmpfilesdir = $(prefix)/lib/tmpfiles.d
tmpfiles_DATA = systemd/tmpfiles.d/steward.conf
sysusersdir = $(prefix)/lib/sysusers.d
sysusers_DATA = systemd/sysusers.d/steward.conf
systemd/tmpfiles.d/steward.conf: $(srcdir)/systemd/steward.tmpfiles
	$(MKDIR_P) systemd/tmpfiles.d
	cp $(srcdir)/systemd/steward.tmpfiles $@
systemd/sysusers.d/steward.conf: $(srcdir)/systemd/steward.sysusers
	$(MKDIR_P) systemd/sysusers.d
	cp $(srcdir)/systemd/steward.sysusers $@
CLEANFILES += systemd/tmpfiles.d/steward.conf systemd/sysusers.d/steward.conf
systemd/steward.service: $(srcdir)/systemd/steward.service.in Makefile
	$(MKDIR_P) systemd
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/systemd/steward.service.in >$@
CLEANFILES += systemd/steward.service
EXTRA_DIST += systemd/steward.service.in systemd/steward.tmpfiles systemd/steward.sysusers
