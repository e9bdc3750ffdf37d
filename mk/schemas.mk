# mk/schemas.mk -- build fragment owned by the schemas work package.
