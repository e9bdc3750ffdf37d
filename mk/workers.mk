# mk/workers.mk -- build fragment owned by the worker-framework work package.
# The worker framework (common/worker.[ch]) and the native kinds are in libsteward.a, so unit
# tests can run a kind's main without the supervisor.
libsteward_a_SOURCES += common/worker.c common/worker.h

check_PROGRAMS += tests/unit/t_worker
TESTS += tests/unit/t_worker

# bench/supervisor: restart latency and RSS next to supervisord and runit (not in make check).
EXTRA_DIST += bench/supervisor bench/restart_probe.py

TESTS += tests/integration/t_workers_native.sh
EXTRA_DIST += tests/integration/t_workers_native.sh
