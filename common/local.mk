# common/: the shared library every process links (libsteward.a).
libsteward_a_SOURCES += \
	common/util.c common/util.h \
	common/log.c common/log.h
libsteward_a_SOURCES += common/backoff.c common/backoff.h
