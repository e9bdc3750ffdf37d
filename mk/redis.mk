# mk/redis.mk -- build fragment owned by the redis work package.
