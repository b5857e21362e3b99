-- Who did what to a card, from which card to which and for how much: what a manager audits (issue 9). A row is
-- never updated or deleted. card_present: the operation was proved with the card's secret (its MAC); false means a
-- manager did it without the card. detail: what the account moved (JSON of payment-service's answer), if anything.
alter table card_log
    add column shop_id         bigint,
    add column other_card_code varchar(32),
    add column card_present    boolean,
    add column detail          text;

create index card_log_by_tenant on card_log (tenant_id, id);
