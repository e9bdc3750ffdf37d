# workers/: one file (or folder) per worker kind.
libsteward_a_SOURCES += workers/kinds.c workers/kinds.h \
	workers/ingestor.c workers/transformer.c workers/validator.c \
	workers/cache_warmer.c workers/scheduler.c workers/metrics.c
