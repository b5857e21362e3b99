package io.membercard.card.lifecycle;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.config.CommonConfig;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the lifecycle audit ({@code card_log}), newest first, within one tenant. */
@ApplicationScoped
public class CardLogRepository {
    private final Pool pool;
    private final ZoneId zone;

    public CardLogRepository(Pool pool, CommonConfig config) {
        this.pool = pool;
        this.zone = ZoneId.of(config.timeZone());
    }

    /** Who may be looked for: one card, one user, one shop, or any of them. */
    public record Filter(String cardCode, String userId, Long shopId) {
    }

    public Uni<Page<CardLogEntry, Void>> page(long tenantId, Filter filter, PageQuery page) {
        String where = """
                from card_log l join card c on c.tenant_id = l.tenant_id and c.id = l.card_id
                where l.tenant_id = $1 and ($2::text is null or c.code = $2)
                  and ($3::text is null or l.user_id = $3) and ($4::bigint is null or l.shop_id = $4)
                """;
        Tuple args = Tuple.of(tenantId, filter.cardCode(), filter.userId(), filter.shopId());
        return pool.preparedQuery("select count(*) " + where).execute(args)
                .map(rows -> rows.iterator().next().getLong(0))
                .flatMap(total -> pool.preparedQuery("""
                        select l.id, c.code, l.action, l.other_card_code, l.shop_id, l.user_id, l.user_name,
                               l.card_present, l.remark, l.detail, l.created_at
                        """ + where + " order by l.id desc limit $5 offset $6")
                        .execute(Tuple.of(tenantId, filter.cardCode(), filter.userId(), filter.shopId(),
                                page.pageSize(), page.offset()))
                        .map(rows -> {
                            List<CardLogEntry> entries = new ArrayList<>();
                            rows.forEach(row -> entries.add(new CardLogEntry(row.getLong("id"),
                                    row.getString("code"), row.getString("action"),
                                    row.getString("other_card_code"), row.getLong("shop_id"),
                                    row.getString("user_id"), row.getString("user_name"),
                                    row.getBoolean("card_present"), row.getString("remark"), row.getString("detail"),
                                    Instant.from(row.getOffsetDateTime("created_at")).atZone(zone)
                                            .toLocalDateTime())));
                            return Page.<CardLogEntry, Void>of(page, entries, total, null);
                        }));
    }
}
