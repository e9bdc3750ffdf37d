# mk/db.mk -- build fragment owned by the db work package.
