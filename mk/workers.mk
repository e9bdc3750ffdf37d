# mk/workers.mk -- build fragment owned by the worker-framework work package.
