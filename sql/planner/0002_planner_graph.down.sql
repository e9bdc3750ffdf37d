-- sql/planner/0002_planner_graph.down.sql -- reverts 0002_planner_graph.up.sql.

DROP FUNCTION planner.get_graph_neighbors(text);
DROP TABLE planner.graph_edges;
DROP TABLE planner.graph_nodes;
