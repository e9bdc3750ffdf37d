# mk/db.mk -- build fragment owned by the db work package.
steward_SOURCES += supervisor/cmd_migrate.c
