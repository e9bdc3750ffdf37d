# mk/redis.mk -- build fragment owned by the redis work package.
libsteward_a_SOURCES += common/redis.c common/redis.h
check_PROGRAMS += tests/unit/t_redis_url tests/unit/t_redis
TESTS += tests/unit/t_redis_url tests/unit/t_redis
