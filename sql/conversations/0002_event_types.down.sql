-- sql/conversations/0002_event_types.down.sql -- reverts 0002_event_types.up.sql.
-- The fixed list comes back NOT VALID, so events of newer types already stored stay.

DROP VIEW conversations.known_event_types;
ALTER TABLE conversations.events DROP CONSTRAINT events_event_type_form;
ALTER TABLE conversations.events ADD CONSTRAINT events_event_type_check CHECK (event_type IN (
    'conversation.started', 'conversation.ended',
    'utterance.caller', 'utterance.agent',
    'intent.detected', 'tool.called', 'tool.result',
    'objective.started', 'objective.updated', 'objective.completed',
    'objective.failed', 'transfer.requested', 'error')) NOT VALID;
