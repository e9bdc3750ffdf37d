# mk/cfg.mk -- build fragment owned by the cfg work package.
