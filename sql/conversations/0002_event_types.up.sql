-- sql/conversations/0002_event_types.up.sql -- conversations.events takes any well-formed
-- event type, not only the 13 of 0001.
-- An event store accepts new types: a voice agent or webhook with a new kind of event must
-- not be rejected until someone writes a migration. The check is now on the form:
-- lowercase dotted words ("tool.called", "payment.refund_issued"), 1 to 64 characters.
-- The types steward and its back-ends know are documented in conversations.known_event_types.

ALTER TABLE conversations.events DROP CONSTRAINT events_event_type_check;
ALTER TABLE conversations.events ADD CONSTRAINT events_event_type_form CHECK (
    length(event_type) BETWEEN 1 AND 64
    AND event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$');
COMMENT ON CONSTRAINT events_event_type_form ON conversations.events IS
    'lowercase dotted words of [a-z0-9_], each starting with a letter, at most 64 characters';

CREATE VIEW conversations.known_event_types (event_type, description) AS VALUES
    ('conversation.started', 'a call or session began'),
    ('conversation.ended', 'the call or session ended; payload.status says how'),
    ('utterance.caller', 'the caller said something (payload.text)'),
    ('utterance.agent', 'the agent said something (payload.text)'),
    ('intent.detected', 'an intent was recognised (payload.intent, payload.confidence)'),
    ('tool.called', 'the agent called a tool (payload.tool, payload.args)'),
    ('tool.result', 'a tool answered (payload.tool, payload.latency_ms)'),
    ('objective.started', 'work on an objective began'),
    ('objective.updated', 'an objective''s fields changed'),
    ('objective.completed', 'an objective was met'),
    ('objective.failed', 'an objective could not be met'),
    ('transfer.requested', 'the caller asked for, or was sent to, a person'),
    ('error', 'something went wrong (payload.message)');
COMMENT ON VIEW conversations.known_event_types IS
    'event types with a documented meaning; conversations.events also accepts others of the same form';
