-- sql/planner/0002_planner_graph.up.sql -- planner and memory, part 2: the memory graph
-- (nodes keyed by a stable text node_id, typed weighted edges) and
-- planner.get_graph_neighbors(). Reverted by 0002_planner_graph.down.sql.
-- Tests: tests/integration/t_schema_planner.sh

-- A thing the planner remembers: a client, project, task, person, habit, document ...
-- node_id is the caller's stable key ("client:harbor-dental", "project:q3-onboarding").
CREATE TABLE planner.graph_nodes (
    id         uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    node_id    text NOT NULL UNIQUE CHECK (btrim(node_id) <> ''),
    node_type  text NOT NULL CHECK (node_type ~ '^[a-z][a-z0-9_]{0,62}$'),
    label      text NOT NULL CHECK (btrim(label) <> ''),
    properties jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX graph_nodes_node_type_idx ON planner.graph_nodes (node_type);
CREATE INDEX graph_nodes_label_idx ON planner.graph_nodes (label);
CREATE INDEX graph_nodes_properties_idx ON planner.graph_nodes USING gin (properties jsonb_path_ops);
CREATE TRIGGER graph_nodes_set_updated_at BEFORE UPDATE ON planner.graph_nodes
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- A directed, typed relation. One edge per (from, to, type); deleting a node removes
-- its edges; renaming a node_id follows into its edges.
CREATE TABLE planner.graph_edges (
    id           uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    from_node_id text NOT NULL REFERENCES planner.graph_nodes (node_id)
                 ON UPDATE CASCADE ON DELETE CASCADE,
    to_node_id   text NOT NULL REFERENCES planner.graph_nodes (node_id)
                 ON UPDATE CASCADE ON DELETE CASCADE,
    edge_type    text NOT NULL CHECK (edge_type ~ '^[a-z][a-z0-9_]{0,62}$'),
    weight       double precision NOT NULL DEFAULT 1.0
                 CHECK (weight >= 0 AND weight <> 'Infinity'::double precision),
    properties   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT graph_edges_from_to_type_key UNIQUE (from_node_id, to_node_id, edge_type)
);
-- from_node_id is indexed by the unique constraint's leading column.
CREATE INDEX graph_edges_to_node_id_idx ON planner.graph_edges (to_node_id);
CREATE INDEX graph_edges_edge_type_idx ON planner.graph_edges (edge_type);
CREATE TRIGGER graph_edges_set_updated_at BEFORE UPDATE ON planner.graph_edges
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Neighbours of one node over both edge directions: an edge a->b is 'outgoing' for a
-- and 'incoming' for b. A self-loop shows once per direction. Outgoing rows first,
-- then by edge type and neighbour, so callers and tests get a stable order.
CREATE FUNCTION planner.get_graph_neighbors(node_id text)
RETURNS TABLE (neighbor_id text, edge_type text, direction text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT n.neighbor_id, n.edge_type, n.direction
    FROM (
        SELECT e.to_node_id AS neighbor_id, e.edge_type, 'outgoing'::text AS direction
        FROM planner.graph_edges e
        WHERE e.from_node_id = $1
        UNION ALL
        SELECT e.from_node_id, e.edge_type, 'incoming'::text
        FROM planner.graph_edges e
        WHERE e.to_node_id = $1
    ) n
    ORDER BY n.direction DESC, n.edge_type, n.neighbor_id
$$;
COMMENT ON FUNCTION planner.get_graph_neighbors(text) IS
    'neighbours of a node: (neighbor_id, edge_type, direction outgoing|incoming)';
