-- sql/planner/0001_planner_core.down.sql -- reverts 0001_planner_core.up.sql
-- (tables in reverse order, then schema planner, which must be empty by now).

DROP TABLE planner.execution_runs;
DROP TABLE planner.schedules;
DROP TABLE planner.plans;
DROP TABLE planner.events;
DROP TABLE planner.client_profiles;
DROP SCHEMA planner;
