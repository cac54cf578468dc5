-- The lead list's own columns beyond phone, name, reference and zone (notes, plan, last order...), as imported:
-- shown to the agent who previews the lead. json, not jsonb: the list's column order is kept.
alter table lead add column fields json;
