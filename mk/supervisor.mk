# mk/supervisor.mk -- build fragment owned by the supervisor work package.
steward_SOURCES += supervisor/sup.c
