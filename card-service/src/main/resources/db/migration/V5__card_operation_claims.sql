-- How many times the job took a started operation up: while it never has, the request's own first call alone has
-- asked payment-service, and a refusal on the way in (out of reach, busy) means nothing changed (CardOperations).
alter table card_operation add column claims integer not null default 0;
