# workers/: one file (or folder) per native worker kind, and the table of kinds (kinds.c).
# Built as libworkers.a, linked above libsteward.a into steward and the tests that run a kind.
libworkers_a_SOURCES += workers/kinds.c workers/kinds.h \
	workers/ingestor.c workers/transformer.c workers/validator.c \
	workers/cache_warmer.c workers/scheduler.c workers/metrics.c
