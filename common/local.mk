# common/: the shared library every process links (libsteward.a). One concept per file.
libsteward_a_SOURCES += \
	common/util.c common/util.h \
	common/log.c common/log.h \
	common/backoff.c common/backoff.h \
	common/cfg.c common/cfg.h \
	common/cfg_src.c common/cfg_src.h \
	common/json.c common/json.h \
	common/metrics.c common/metrics.h \
	common/ctl.c common/ctl.h \
	common/uuid7.c common/uuid7.h \
	common/db.c common/db.h \
	common/digest.c common/digest.h \
	common/migrate.c common/migrate.h \
	common/redis.c common/redis.h \
	common/cgroup.c common/cgroup.h \
	common/notify.c common/notify.h \
	common/worker.c common/worker.h
