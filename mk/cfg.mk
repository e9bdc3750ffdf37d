# mk/cfg.mk -- build fragment owned by the cfg work package: configuration loading
# (common/cfg.[ch], the only user of libconfig), `steward check`, the shipped configs.
libsteward_a_SOURCES += common/cfg.c common/cfg.h
steward_SOURCES += supervisor/cmd_check.c

check_PROGRAMS += tests/unit/t_cfg
TESTS += tests/unit/t_cfg
