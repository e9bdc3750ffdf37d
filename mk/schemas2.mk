# mk/schemas2.mk -- build fragment owned by the second schemas work package (planner, survey).
