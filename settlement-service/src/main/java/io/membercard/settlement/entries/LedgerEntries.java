package io.membercard.settlement.entries;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * payment-service's {@code account.changed} events, one per ledger entry, kept as settlement's own record of each
 * shop's day ({@code shop_entry}): a close checks it against the ledger it reads. An entry of a closed shop-day that
 * the close's snapshot did not see (a sale after an early close, a refund committed late) is recorded against the
  * close, which turns the day to 905. Each entry recorded adds to its hour's running totals ({@code shop_hour_total},
 * by a trigger, in the same statement). The close row is read {@code for share}: a close being stored waits for the
 * batch or the batch for it, so an entry is never missed by both.
 */
@ApplicationScoped
public class LedgerEntries implements EventHandler {
    static final String CHANGED = "account.changed";

    private final ObjectMapper mapper;

    public LedgerEntries(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean handles(String type) {
        return CHANGED.equals(type);
    }

    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        return handleAll(tx, List.of(event));
    }

    @Override
    public Uni<Void> handleAll(SqlConnection tx, List<Event> events) {
        List<Event> withEntry = events.stream().filter(e -> e.payload().path("entry").isObject()).toList();
        if (withEntry.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Object[] columns = {
                longs(withEntry, e -> e.tenantId()),
                longs(withEntry, e -> entry(e).path("id").asLong()),
                longs(withEntry, e -> optionalLong(entry(e).path("shopId"))),
                texts(withEntry, e -> entry(e).path("kind").asText()),
                texts(withEntry, e -> text(entry(e).path("billNo"))),
                texts(withEntry, e -> text(e.payload().path("cardCode"))),
                withEntry.stream().map(e -> {
                    Long type = optionalLong(entry(e).path("paymentType"));
                    return type == null ? null : type.shortValue();
                }).toArray(Short[]::new),
                money(withEntry, "actualBalance"),
                money(withEntry, "giveBalance"),
                longs(withEntry, e -> entry(e).path("totalPoints").asLong()),
                longs(withEntry, e -> entry(e).path("usedPoints").asLong()),
                longs(withEntry, e -> entry(e).path("expiredPoints").asLong()),
                texts(withEntry, Event::tx),
                withEntry.stream().map(e -> {
                    JsonNode at = entry(e).path("createdAt");
                    return (at.isTextual() ? instant(at) : e.occurredAt()).atOffset(ZoneOffset.UTC);
                }).toArray(OffsetDateTime[]::new)
        };
        return tx.preparedQuery("""
                insert into shop_entry (tenant_id, entry_id, shop_id, kind, bill_no, card_code, payment_type,
                       actual_money, give_money, points, used_points, expired_points, tx, created_at)
                select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::varchar[], $5::varchar[],
                                     $6::varchar[], $7::smallint[], $8::numeric[], $9::numeric[], $10::bigint[],
                                     $11::bigint[], $12::bigint[], $13::text[]::xid8[], $14::timestamptz[])
                on conflict do nothing""")
                .execute(Tuple.from(columns))
                .flatMap(ignored -> tx
                        .preparedQuery(
                                """
                                                                                with fresh as (
                                            select s.* from unnest($1::bigint[], $2::bigint[]) as n(tenant_id, entry_id)
                                            join shop_entry s on s.tenant_id = n.tenant_id and s.entry_id = n.entry_id
                                            where s.tx is not null),
                                        hit as (
                                            select s.*, d.id as close_id, d.state, d.snapshot
                                            from fresh s cross join lateral (
                                                select id, state, snapshot from day_close d
                                                where d.tenant_id = s.tenant_id and d.shop_id = s.shop_id
                                                  and d.day_start <= s.created_at and d.day_end > s.created_at
                                                  and d.day_start > s.created_at - interval '49 hours'
                                                order by d.business_date desc, d.version desc limit 1 for share) d
                                            union all
                                            select s.*, d.id as close_id, d.state, d.snapshot
                                            from fresh s cross join lateral (
                                                select id, state, snapshot from day_close d
                                                where d.tenant_id = s.tenant_id and d.shop_id is null
                                                  and d.day_start <= s.created_at and d.day_end > s.created_at
                                                  and d.day_start > s.created_at - interval '49 hours'
                                                order by d.business_date desc, d.version desc limit 1 for share) d),
                                                        changed as (
                                                            insert into day_close_change (close_id, entry_id, kind, bill_no, card_code, payment_type,
                                                                   actual_money, give_money, created_at)
                                                            select close_id, entry_id, kind, bill_no, card_code, payment_type, actual_money,
                                                                   give_money, created_at
                                                            from hit where state = 'CLOSED' and not pg_visible_in_snapshot(tx, snapshot)
                                                            on conflict do nothing
                                                            returning close_id)
                                                        update day_close set changed = true
                                                        where id in (select close_id from changed) and not changed""")
                        .execute(Tuple.of(columns[0], columns[1])))
                .replaceWithVoid();
    }

    /** An instant as the platform writes it ({@code yyyy-MM-dd HH:mm:ss} in its zone). */
    private Instant instant(JsonNode at) {
        try {
            return mapper.treeToValue(at, Instant.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("entry.createdAt: unreadable " + at, e);
        }
    }

    private static JsonNode entry(Event event) {
        return event.payload().path("entry");
    }

    private static Long optionalLong(JsonNode node) {
        return node.isNumber() ? node.asLong() : null;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Long[] longs(List<Event> events, Function<Event, Long> value) {
        return events.stream().map(value).toArray(Long[]::new);
    }

    private static String[] texts(List<Event> events, Function<Event, String> value) {
        return events.stream().map(value).toArray(String[]::new);
    }

    private static BigDecimal[] money(List<Event> events, String field) {
        return events.stream().map(e -> entry(e).path(field).decimalValue().setScale(2))
                .toArray(BigDecimal[]::new);
    }
}
