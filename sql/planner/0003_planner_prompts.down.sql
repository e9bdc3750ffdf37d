-- sql/planner/0003_planner_prompts.down.sql -- reverts 0003_planner_prompts.up.sql.

DROP TABLE planner.prompt_templates;
