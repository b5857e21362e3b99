-- Keyword lookups of one or two characters (too short for trigrams): the start of a name, a whole card code.
create index member_by_name on member (tenant_id, name text_pattern_ops) where status = 1;
create index member_by_card_code on member (tenant_id, card_code) where status = 1;
