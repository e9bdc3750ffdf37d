-- sql/revops/0001_opportunities.down.sql -- reverts 0001_opportunities.up.sql
-- (schema core stays: it belongs to set platform).

DROP TABLE core.ace_opportunities;
DROP TABLE core.odoo_opportunities;
