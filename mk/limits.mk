# mk/limits.mk -- build fragment owned by the limits work package.
