package io.membercard.card.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.card.card.CardCheck;
import io.membercard.card.card.CardEvents;
import io.membercard.card.card.CardRepository;
import io.membercard.card.card.CardRow;
import io.membercard.card.card.CardStatus;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The card side of a shop migration (S1-39). {@link #copy} copies the shop's cards that are not ended (and the
 * members' cards member-service names) into the new tenant, with the same codes, states and MACs (a copied card
 * keeps the old tenant's salt, so its MAC still matches), under classes of the same name (copied when the new tenant
 * has none), and marks the old cards busy; {@link #finish} voids the old cards; {@link #abort} removes the copies
 * and frees the old cards. Each step is idempotent by the migration's id.
 */
@ApplicationScoped
public class CardMigrationService {
    private static final Logger LOG = Logger.getLogger(CardMigrationService.class);
    /** The busy mark of a card being migrated (a replacement or return uses its operation's id). */
    public static final long MIGRATING = 0;

    private final Pool pool;
    private final CardEvents events;
    private final CardRepository cards;

    public CardMigrationService(Pool pool, CardEvents events, CardRepository cards) {
        this.pool = pool;
        this.events = events;
        this.cards = cards;
    }

    public Uni<CardMigration.Result> copy(CardMigration request) {
        if (request.fromTenantId().equals(request.toTenantId())) {
            throw ApiException.badInput("toTenantId", "is the tenant the cards come from");
        }
        return pool.withTransaction(tx -> copies(tx, request.migrationId(), request.toTenantId()).flatMap(done -> {
            if (!done.isEmpty()) {
                return Uni.createFrom().item(new CardMigration.Result(request.migrationId(), false, done.size(), 0,
                        null, done));
            }
            Long[] memberCards = request.members().stream().map(CardMigration.Member::cardId).toArray(Long[]::new);
            return tx.preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM + """
                    where c.tenant_id = $1 and (c.shop_id = $2 or c.id = any($3)) and c.status in (1, 2, 3)
                    order by c.id for update of c""")
                    .execute(Tuple.of(request.fromTenantId(), request.shopId(), memberCards))
                    .flatMap(rows -> {
                        List<CardRow> cards = new ArrayList<>();
                        rows.forEach(row -> cards.add(CardRow.of(row)));
                        return plan(tx, request, cards);
                    });
        }));
    }

    private Uni<CardMigration.Result> plan(SqlClient tx, CardMigration request, List<CardRow> cards) {
        for (CardRow card : cards) {
            if (card.busy()) {
                return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT, "card " + card.code()
                        + " is being replaced or returned; migrate when it is done"));
            }
        }
        String[] codes = cards.stream().map(CardRow::code).toArray(String[]::new);
        return tx.preparedQuery("select code from card where tenant_id = $1 and code = any($2) order by code")
                .execute(Tuple.of(request.toTenantId(), codes))
                .flatMap(found -> {
                    List<String> conflicts = new ArrayList<>();
                    found.forEach(row -> conflicts.add(row.getString(0)));
                    if (request.isDryRun()) {
                        // A dry run lists the cards that would be copied, as they are now.
                        List<CardMigration.Copy> planned = cards.stream()
                                .map(c -> new CardMigration.Copy(c.id(), CardCheck.of(c))).toList();
                        return classesToCreate(tx, request, cards).map(missing -> new CardMigration.Result(
                                request.migrationId(), true, cards.size(), missing.size(), conflicts, planned));
                    }
                    if (!conflicts.isEmpty()) {
                        return Uni.createFrom().failure(ApiException.badInput("shopId", conflicts.size()
                                + " card code(s) of the shop exist in the new tenant already, first: "
                                + String.join(", ", conflicts.subList(0, Math.min(5, conflicts.size())))
                                + "; nothing was migrated"));
                    }
                    return classes(tx, request, cards).flatMap(classes -> insert(tx, request, cards, classes));
                });
    }

    /** The old tenant's classes of {@code cards} that the new tenant has no class of the same name for. */
    private static Uni<Set<Long>> classesToCreate(SqlClient tx, CardMigration request, List<CardRow> cards) {
        return tx.preparedQuery("select name from card_class where tenant_id = $1 and not disabled")
                .execute(Tuple.of(request.toTenantId()))
                .map(rows -> {
                    Set<String> names = new java.util.HashSet<>();
                    rows.forEach(row -> names.add(row.getString(0)));
                    return cards.stream().filter(c -> !names.contains(c.cardClassName()))
                            .map(CardRow::cardClassId).collect(Collectors.toSet());
                });
    }

    /** The new tenant's class for each old class (one of the same name, or a copy made now), and how many were made. */
    private record Classes(Map<Long, Long> byOld, int created) {
    }

    private static Uni<Classes> classes(SqlClient tx, CardMigration request, List<CardRow> cards) {
        Long[] oldIds = cards.stream().map(CardRow::cardClassId).distinct().toArray(Long[]::new);
        return tx.preparedQuery("""
                with old as (select * from card_class where tenant_id = $1 and id = any($2)),
                existing as (select distinct on (o.id) o.id as old_id, n.id as new_id from old o
                             join card_class n on n.tenant_id = $3 and n.name = o.name and not n.disabled
                             order by o.id, n.id),
                created as (insert into card_class (tenant_id, name, card_type, can_recharge, can_member_price,
                                   can_discount, can_point, points_basic, points_to_one, points_valid_days)
                            select $3, o.name, o.card_type, o.can_recharge, o.can_member_price, o.can_discount,
                                   o.can_point, o.points_basic, o.points_to_one, o.points_valid_days
                            from old o where o.id not in (select old_id from existing) order by o.id
                            returning id, name)
                select e.old_id, e.new_id, false from existing e
                union all select o.id, c.id, true from created c join old o on o.name = c.name""")
                .execute(Tuple.of(request.fromTenantId(), oldIds, request.toTenantId()))
                .map(rows -> {
                    Map<Long, Long> map = new HashMap<>();
                    Set<Long> made = new java.util.HashSet<>();
                    for (Row row : rows) {
                        map.putIfAbsent(row.getLong(0), row.getLong(1));
                        if (row.getBoolean(2)) {
                            made.add(row.getLong(1));
                        }
                    }
                    return new Classes(map, made.size());
                });
    }

    private Uni<CardMigration.Result> insert(SqlClient tx, CardMigration request, List<CardRow> cards,
            Classes classes) {
        if (cards.isEmpty()) {
            return Uni.createFrom().item(new CardMigration.Result(request.migrationId(), false, 0, 0, List.of(),
                    List.of()));
        }
        Map<Long, Long> members = new HashMap<>();
        request.members().forEach(m -> members.put(m.cardId(), m.memberId()));
        String shopName = request.shopName() == null || request.shopName().isBlank() ? null : request.shopName();
        return tx.preparedQuery("""
                with copies as (
                    insert into card (tenant_id, code, card_class_id, shop_id, shop_name, status, send_mode, mac_hash,
                                      mac_salt_tenant_id, written_at, member_id, expires_at, issue_key)
                    select $1, c.code, v.class_id, c.shop_id, coalesce($5, c.shop_name), c.status, c.send_mode,
                           c.mac_hash, coalesce(c.mac_salt_tenant_id, c.tenant_id), c.written_at, v.member_id,
                           c.expires_at, 'migration:' || $6 || ':' || c.id
                    from unnest($2::bigint[], $3::bigint[], $4::bigint[]) as v(card_id, class_id, member_id)
                    join card c on c.tenant_id = $7 and c.id = v.card_id
                    order by c.id
                    returning id, issue_key)
                insert into card_migration (migration_id, from_tenant_id, from_card_id, to_tenant_id, to_card_id)
                select $6, $7, split_part(issue_key, ':', 3)::bigint, $1, id from copies""")
                .execute(Tuple.from(new Object[]{request.toTenantId(),
                        cards.stream().map(CardRow::id).toArray(Long[]::new),
                        cards.stream().map(c -> classes.byOld().get(c.cardClassId())).toArray(Long[]::new),
                        cards.stream().map(c -> members.get(c.id())).toArray(Long[]::new), shopName,
                        request.migrationId(), request.fromTenantId()}))
                .flatMap(ignored -> tx.preparedQuery("""
                        update card set busy_operation_id = $3, updated_at = now()
                        where tenant_id = $1 and id = any($2)""")
                        .execute(Tuple.of(request.fromTenantId(), cards.stream().map(CardRow::id)
                                .toArray(Long[]::new), MIGRATING)))
                // The copies keep their old salts: the new tenant's MAC lookups hash under them too.
                .flatMap(ignored -> tx.preparedQuery("""
                        insert into card_mac_salt (tenant_id, salt_tenant_id)
                        select distinct $1::bigint, coalesce(c.mac_salt_tenant_id, c.tenant_id) from card c
                        where c.tenant_id = $2 and c.id = any($3) and c.mac_hash is not null
                              and coalesce(c.mac_salt_tenant_id, c.tenant_id) <> $1
                        on conflict do nothing""")
                        .execute(Tuple.of(request.toTenantId(), request.fromTenantId(), cards.stream()
                                .map(CardRow::id).toArray(Long[]::new))))
                .flatMap(ignored -> copies(tx, request.migrationId(), request.toTenantId()))
                .call(done -> events.changed(tx, request.toTenantId(), done.stream().map(c -> c.card().id())
                        .toList()))
                .map(done -> {
                    int created = classes.created();
                    LOG.infof("migration %s: %d cards of shop %d copied from tenant %d to tenant %d",
                            request.migrationId(), done.size(), request.shopId(), request.fromTenantId(),
                            request.toTenantId());
                    return new CardMigration.Result(request.migrationId(), false, done.size(), created,
                            List.of(), done);
                });
    }

    /** The copies a migration made already, with their old cards. */
    private static Uni<List<CardMigration.Copy>> copies(SqlClient tx, String migrationId, long toTenantId) {
        return tx.preparedQuery("select m.from_card_id, " + CardRow.COLUMNS
                + " from card_migration m join card c on c.tenant_id = m.to_tenant_id and c.id = m.to_card_id"
                + " join card_class cc on cc.id = c.card_class_id"
                + " where m.migration_id = $1 and m.to_tenant_id = $2 order by m.from_card_id")
                .execute(Tuple.of(migrationId, toTenantId))
                .map(rows -> {
                    List<CardMigration.Copy> copies = new ArrayList<>();
                    for (Row row : rows) {
                        copies.add(new CardMigration.Copy(row.getLong("from_card_id"),
                                CardCheck.of(CardRow.of(row))));
                    }
                    return copies;
                });
    }

    /** The old cards of a migration end void; answers how many were voided now. */
    public Uni<Integer> finish(String migrationId) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                with migrated as (
                    update card_migration set finished = true where migration_id = $1 and not finished
                    returning from_tenant_id, from_card_id)
                update card c set status = $2, member_id = null, busy_operation_id = null, version = version + 1,
                       updated_at = now()
                from migrated m where c.tenant_id = m.from_tenant_id and c.id = m.from_card_id
                returning c.id, c.tenant_id""")
                .execute(Tuple.of(migrationId, CardStatus.VOID.code()))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    Long tenant = null;
                    for (Row row : rows) {
                        ids.add(row.getLong(0));
                        tenant = row.getLong(1);
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return cards.logAll(tx, tenant, ids, "MIGRATED", "moved by migration " + migrationId, "system",
                            "migration").replaceWith(ids.size());
                }));
    }

    /** Undoes a copy whose accounts did not move: the copies go, the old cards are free again. */
    public Uni<Integer> abort(String migrationId) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                with removed as (delete from card_migration where migration_id = $1 and not finished
                                 returning from_tenant_id, from_card_id, to_tenant_id, to_card_id),
                freed as (update card c set busy_operation_id = null, updated_at = now() from removed r
                          where c.tenant_id = r.from_tenant_id and c.id = r.from_card_id and c.busy_operation_id = $2)
                delete from card c using removed r where c.tenant_id = r.to_tenant_id and c.id = r.to_card_id
                returning c.id""")
                .execute(Tuple.of(migrationId, MIGRATING))
                .map(rows -> rows.rowCount()));
    }
}
