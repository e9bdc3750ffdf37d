-- sql/conversations/0001_conversations.down.sql -- reverts 0001_conversations.up.sql.

DROP VIEW conversations.latest_events;
DROP VIEW conversations.active_conversations;
DROP FUNCTION conversations.publish_objective_config(uuid, text, jsonb, text);
DROP FUNCTION conversations.rebuild_objectives(text);
DROP FUNCTION conversations.get_conversation_events(text);
DROP FUNCTION conversations.emit_event(text, uuid, text, jsonb);
DROP TABLE conversations.objectives;
DROP TABLE conversations.events;
DROP FUNCTION conversations.events_append_only();
DROP TABLE conversations.conversations;
DROP TABLE conversations.objective_configs;
DROP FUNCTION conversations.objective_configs_immutable();
DROP TABLE conversations.tenants;
DROP SCHEMA conversations;
