package io.membercard.member.migration;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.internal.ServiceAnswer;
import io.membercard.common.limits.HeavyJobs;
import io.membercard.common.limits.LimitExceeded;
import io.membercard.common.money.Money;
import io.membercard.common.security.Operator;
import io.membercard.member.client.AccountClient;
import io.membercard.member.client.CardClient;
import io.membercard.member.client.CardInfo;
import io.membercard.member.member.CardTimes;
import io.membercard.member.member.MemberRepository;
import io.membercard.member.projection.SumsKeeper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * S1-39: moves a shop's members, cards, money, points and levels from one tenant to another, as a saga of
 * idempotent steps: card-service copies the shop's cards (the old ones stay, busy), payment-service moves every
 * account's money and points in one transaction, member-service copies the members (with their levels, copied by
 * name) and retires the old ones, and card-service voids the old cards. A refusal before the money moved undoes the
 * copies (ABORTED: nothing changed); any later failure leaves the migration FAILED, and running it again finishes
 * it with the same id. Every run, dry runs included, keeps an audit record.
 */
@ApplicationScoped
public class MigrationService {
    private static final Logger LOG = Logger.getLogger(MigrationService.class);

    private final Pool pool;
    private final MemberRepository members;
    private final CardClient cards;
    private final AccountClient accounts;
    private final SumsKeeper sums;
    private final ObjectMapper mapper;
    private final HeavyJobs heavyJobs;

    public MigrationService(Pool pool, MemberRepository members, CardClient cards, AccountClient accounts,
            SumsKeeper sums, ObjectMapper mapper, HeavyJobs heavyJobs) {
        this.heavyJobs = heavyJobs;
        this.pool = pool;
        this.members = members;
        this.cards = cards;
        this.accounts = accounts;
        this.sums = sums;
        this.mapper = mapper;
    }

    /** The shop's members in the old tenant, with the ids they get in the new one. */
    private record Moving(long fromId, long toId, long cardId) {
    }

    /**
     * Runs (or dry-runs) a migration while it holds a place among the heavy jobs of the tenant the shop leaves (429
     * when they are all held: a migration reads and writes every member of the shop).
     */
    public Uni<MigrationReport> migrate(Operator operator, MigrationRequest r) {
        long from = r.tenantIdByMemberExport();
        long to = r.tenantIdByMemberImport();
        if (from == to) {
            throw ApiException.badInput("tenantIdByMemberImport", "is the tenant the shop leaves");
        }
        String place = "migration:" + from + ":" + to + ":" + r.shopId();
        return heavyJobs.take(from, place).flatMap(taken -> migrateHeld(operator, r))
                .onTermination().call((item, failure, cancelled) -> failure instanceof LimitExceeded
                        ? Uni.createFrom().voidItem()
                        : heavyJobs.release(from, place));
    }

    private Uni<MigrationReport> migrateHeld(Operator operator, MigrationRequest r) {
        long from = r.tenantIdByMemberExport();
        long to = r.tenantIdByMemberImport();
        String shopName = r.shopName() == null ? "" : r.shopName().trim();
        if (Boolean.TRUE.equals(r.dryRun())) {
            return dryRun(operator, r, shopName);
        }
        return openMigration(operator, r, shopName).flatMap(opened -> moving(opened.id(), from, r.shopId())
                .flatMap(moving -> phoneConflicts(from, to, moving).flatMap(conflicts -> {
                    if (!conflicts.isEmpty()) {
                        // On its first run nothing was done yet: it ends. Taken up again, an earlier run may have
                        // moved the money already: it stays FAILED, to be run again once the phones are resolved.
                        String found = conflicts.size() + " member(s) of the shop have phones of members of the new "
                                + "tenant, first: " + String.join(", ", conflicts.subList(0, Math.min(3,
                                        conflicts.size())));
                        return end(opened, opened.resumed() ? "FAILED" : "ABORTED", found).flatMap(
                                ignored -> Uni.createFrom().failure(ApiException.badInput("tenantIdByMemberImport",
                                        found + (opened.resumed()
                                                ? "; resolve them and run the migration again to finish it"
                                                : "; nothing was migrated"))));
                    }
                    return run(operator, opened, r, shopName, moving);
                })))
                .flatMap(this::report);
    }

    private Uni<String> run(Operator operator, Opened opened, MigrationRequest r, String shopName,
            List<Moving> moving) {
        String id = opened.id();
        long from = r.tenantIdByMemberExport();
        long to = r.tenantIdByMemberImport();
        return cards.migrateCards(cardRequest(id, r, shopName, moving, false)).flatMap(copied -> {
            if (!copied.done()) {
                return failed(opened, copied, opened.nothingChanged(copied) ? "ABORTED" : "FAILED", false);
            }
            List<JsonNode> copies = new ArrayList<>();
            copied.data().path("copies").forEach(copies::add);
            return accounts.migrate(accountRequest(operator, id, r, copies, false)).flatMap(moved -> {
                if (!moved.done()) {
                    boolean nothing = opened.nothingChanged(moved);
                    return failed(opened, moved, nothing ? "ABORTED" : "FAILED", nothing);
                }
                return pool.withTransaction(tx -> copyMembers(tx, id, from, to, moving, copies))
                        .flatMap(count -> cards.finishMigration(id).flatMap(finished -> {
                            if (!finished.done()) {
                                return failed(opened, finished, "FAILED", false);
                            }
                            return totals(opened, count, copies.size(), moved.data())
                                    .invoke(() -> LOG.infof("migration %s: shop %d moved from tenant %d to tenant "
                                            + "%d: %d members, %d cards, actual %s, bonus %s, %d points", id,
                                            r.shopId(), from, to, count, copies.size(),
                                            moved.data().path("actualBalance").asText(),
                                            moved.data().path("giveBalance").asText(),
                                            moved.data().path("points").asLong()));
                        }))
                        .onFailure(e -> !(e instanceof ApiException))
                        .recoverWithUni(e -> end(opened, "FAILED", e.getMessage()).flatMap(ignored -> Uni.createFrom()
                                .failure(new ApiException(StatusCode.INTERNAL, "the migration stopped part-way ("
                                        + e.getMessage() + "); run it again to finish it"))));
            });
        }).replaceWith(id);
    }

    /**
     * A step failed: record the state and answer the failure; when nothing else changed, undo the cards' copies. The
     * undo is this run's only while no other run took the migration over: the state changes to ABORTING first, in one
     * statement that checks the run, and only then are the copies undone: ABORTED once card-service undid them, FAILED
     * (to be run again) when it could not.
     */
    private Uni<Void> failed(Opened opened, ServiceAnswer answer, String state, boolean undoCopies) {
        ApiException failure = "FAILED".equals(state) && answer.kind() != ServiceAnswer.Kind.REFUSED
                ? new ApiException(StatusCode.INTERNAL, "a service did not answer or was out of reach ("
                        + answer.message() + "); run the migration again to finish it")
                : answer.failure("card or balance service");
        Uni<Void> recorded = !undoCopies
                ? end(opened, state, failure.getMessage()).replaceWithVoid()
                : end(opened, "ABORTING", failure.getMessage()).flatMap(ours -> !ours
                        ? Uni.createFrom().voidItem()
                        : cards.abortMigration(opened.id()).flatMap(undone -> pool.preparedQuery("""
                                update migration set state = $3, error = coalesce($4, error),
                                       finished_at = case when $3 = 'ABORTED' then now() end
                                where id = $1 and run = $2 and state = 'ABORTING'""")
                                .execute(Tuple.of(opened.id(), opened.run(), undone.done() ? "ABORTED" : "FAILED",
                                        undone.done()
                                                ? null
                                                : truncate("the cards' copies could not be undone ("
                                                        + undone.message() + "); run the migration again")))
                                .replaceWithVoid()));
        return recorded.flatMap(ignored -> Uni.createFrom().failure(failure));
    }

    private Uni<MigrationReport> dryRun(Operator operator, MigrationRequest r, String shopName) {
        String id = "DRY-" + UUID.randomUUID();
        long from = r.tenantIdByMemberExport();
        long to = r.tenantIdByMemberImport();
        return moving(null, from, r.shopId()).flatMap(moving -> cards.migrateCards(cardRequest(id, r, shopName,
                moving, true)).flatMap(copied -> {
                    if (!copied.done()) {
                        return Uni.createFrom().<MigrationReport>failure(copied.failure("card service"));
                    }
                    List<JsonNode> copies = new ArrayList<>();
                    copied.data().path("copies").forEach(copies::add);
                    return accounts.migrate(accountRequest(operator, id, r, copies, true)).flatMap(counted -> {
                        if (!counted.done()) {
                            return Uni.createFrom().<MigrationReport>failure(counted.failure("balance service"));
                        }
                        return phoneConflicts(from, to, moving).flatMap(phones -> {
                            List<String> conflicts = new ArrayList<>();
                            copied.data().path("conflicts").forEach(c -> conflicts.add("card " + c.asText()));
                            phones.forEach(p -> conflicts.add("phone " + p));
                            JsonNode money = counted.data();
                            return pool.preparedQuery("""
                                    insert into migration (id, from_tenant_id, to_tenant_id, shop_id, shop_name, state,
                                           members, cards, accounts, actual_balance, give_balance, points, conflicts,
                                           user_id, user_name, finished_at)
                                    values ($1, $2, $3, $4, $5, 'DRY_RUN', $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                            now())""")
                                    .execute(Tuple.from(new Object[]{id, from, to, r.shopId(), shopName,
                                            moving.size(), copied.data().path("cards").asInt(),
                                            money.path("accounts").asInt(), decimal(money, "actualBalance"),
                                            decimal(money, "giveBalance"), money.path("points").asLong(),
                                            String.join("\n", conflicts), operator.userId(), operator.userName()}))
                                    .flatMap(ignored -> report(id));
                        });
                    });
                }));
    }

    /**
     * The migration a run works on, and the run's own id: a run that another run of the same migration took over (the
     * operator ran it again while it still ran) records nothing more and undoes nothing. {@code resumed} when it was
     * taken up again (it ran before, its runner died or it failed part-way).
     */
    private record Opened(String id, UUID run, boolean resumed) {
        /**
         * Whether a step's failure certainly changed nothing of the migration: a refusal, or a service out of reach on
         * the migration's first run. A migration taken up again may have had the step done by an earlier run that never
         * heard the answer, so a service out of reach, busy or refusing on the way in then says nothing about it (only a
         * refusal of the command itself does, {@link ServiceAnswer#decisive}): the migration stays FAILED (run it
         * again), and nothing done before is undone.
         */
        boolean nothingChanged(ServiceAnswer answer) {
            return answer.nothingChanged() && (!resumed || answer.decisive());
        }
    }

    /** A running or failed migration of the same shop is taken up again; otherwise a new one starts. */
    private Uni<Opened> openMigration(Operator operator, MigrationRequest r, String shopName) {
        String id = "MG-" + UUID.randomUUID();
        UUID run = UUID.randomUUID();
        return pool.preparedQuery("""
                insert into migration (id, from_tenant_id, to_tenant_id, shop_id, shop_name, state, user_id, user_name,
                       run)
                values ($1, $2, $3, $4, $5, 'RUNNING', $6, $7, $8)
                on conflict (from_tenant_id, to_tenant_id, shop_id) where state in ('RUNNING', 'FAILED', 'ABORTING')
                do nothing
                returning id""")
                .execute(Tuple.from(new Object[]{id, r.tenantIdByMemberExport(), r.tenantIdByMemberImport(),
                        r.shopId(), shopName, operator.userId(), operator.userName(), run}))
                .flatMap(rows -> rows.iterator().hasNext()
                        ? Uni.createFrom().item(new Opened(id, run, false))
                        : pool.preparedQuery("""
                                update migration set state = 'RUNNING', error = null, run = $4
                                where from_tenant_id = $1 and to_tenant_id = $2 and shop_id = $3
                                and state in ('RUNNING', 'FAILED', 'ABORTING') returning id""")
                                .execute(Tuple.of(r.tenantIdByMemberExport(), r.tenantIdByMemberImport(), r.shopId(),
                                        run))
                                .map(found -> new Opened(found.iterator().next().getString(0), run, true)));
    }

    /** The shop's members, each with its id in the new tenant (kept, so that a repeat gives the same ids). */
    private Uni<List<Moving>> moving(String id, long from, long shopId) {
        return pool.preparedQuery("""
                select m.id, m.card_id, mm.to_member_id from member m
                left join migration_member mm on mm.migration_id = $3 and mm.from_member_id = m.id
                where m.tenant_id = $1 and m.shop_id = $2 and (m.status = 1 or mm.to_member_id is not null)
                and m.card_id is not null order by m.id""")
                .execute(Tuple.of(from, shopId, id == null ? "" : id))
                .flatMap(rows -> {
                    List<Row> all = new ArrayList<>();
                    rows.forEach(all::add);
                    long missing = all.stream().filter(row -> row.getLong("to_member_id") == null).count();
                    Uni<List<Long>> ids = missing == 0 || id == null
                            ? Uni.createFrom().item(List.of())
                            : members.nextIds(pool, (int) missing);
                    return ids.flatMap(fresh -> {
                        List<Moving> moving = new ArrayList<>();
                        List<Long> newFrom = new ArrayList<>();
                        List<Long> newTo = new ArrayList<>();
                        int next = 0;
                        for (Row row : all) {
                            Long toId = row.getLong("to_member_id");
                            if (toId == null) {
                                toId = id == null ? row.getLong("id") : fresh.get(next++);
                                newFrom.add(row.getLong("id"));
                                newTo.add(toId);
                            }
                            moving.add(new Moving(row.getLong("id"), toId, row.getLong("card_id")));
                        }
                        if (id == null || newFrom.isEmpty()) {
                            return Uni.createFrom().item(moving);
                        }
                        return pool.preparedQuery("""
                                insert into migration_member (migration_id, from_member_id, to_member_id)
                                select $1, f, t from unnest($2::bigint[], $3::bigint[]) as v(f, t)""")
                                .execute(Tuple.of(id, newFrom.toArray(new Long[0]), newTo.toArray(new Long[0])))
                                .replaceWith(moving);
                    });
                });
    }

    /** The masked phones of moving members that members of the new tenant have. */
    private Uni<List<String>> phoneConflicts(long from, long to, List<Moving> moving) {
        return pool.preparedQuery("""
                select m.phone from member m join member n on n.tenant_id = $2 and n.phone = m.phone and n.status < 2
                and (n.source_key is null or n.source_key not like 'migration:%:' || m.id)
                where m.tenant_id = $1 and m.id = any($3) and m.phone is not null order by m.id""")
                .execute(Tuple.of(from, to, moving.stream().map(Moving::fromId).toArray(Long[]::new)))
                .map(rows -> {
                    List<String> phones = new ArrayList<>();
                    rows.forEach(row -> phones.add(io.membercard.member.member.Pii.phone(row.getString(0))));
                    return phones;
                });
    }

    private JsonNode cardRequest(String id, MigrationRequest r, String shopName, List<Moving> moving, boolean dry) {
        ObjectNode request = mapper.createObjectNode().put("migrationId", id)
                .put("fromTenantId", r.tenantIdByMemberExport()).put("toTenantId", r.tenantIdByMemberImport())
                .put("shopId", r.shopId()).put("shopName", shopName).put("dryRun", dry);
        ArrayNode list = request.putArray("members");
        moving.forEach(m -> list.addObject().put("cardId", m.cardId()).put("memberId", m.toId()));
        return request;
    }

    private JsonNode accountRequest(Operator operator, String id, MigrationRequest r, List<JsonNode> copies,
            boolean dry) {
        ObjectNode request = mapper.createObjectNode().put("migrationId", id)
                .put("fromTenantId", r.tenantIdByMemberExport()).put("toTenantId", r.tenantIdByMemberImport())
                .put("shopId", r.shopId()).put("userId", operator.userId()).put("userName", operator.userName())
                .put("dryRun", dry);
        ArrayNode list = request.putArray("cards");
        for (JsonNode copy : copies) {
            long fromCard = copy.path("fromCardId").asLong();
            JsonNode card = copy.path("card");
            list.addObject().put("fromCardId", fromCard).put("toCardId", dry ? fromCard : card.path("id").asLong())
                    .put("toCardCode", card.path("code").asText());
        }
        return request;
    }

    /**
     * The members arrive in the new tenant (their levels copied by name, their cards the copies) and leave the old
     * one, their figures moving between the tenants' sums; once only, however often it runs.
     */
    private Uni<Integer> copyMembers(SqlConnection tx, String id, long from, long to, List<Moving> moving,
            List<JsonNode> copies) {
        Map<Long, CardInfo> byOldCard = new HashMap<>();
        copies.forEach(c -> byOldCard.put(c.path("fromCardId").asLong(), mapper.convertValue(c.path("card"),
                CardInfo.class)));
        List<Moving> withCard = moving.stream().filter(m -> byOldCard.containsKey(m.cardId())).toList();
        Long[] fromIds = withCard.stream().map(Moving::fromId).toArray(Long[]::new);
        return levels(tx, from, to, fromIds).flatMap(levels -> tx.preparedQuery("""
                insert into member (id, tenant_id, shop_id, status, name, sex, birthday, phone, id_card, address, code,
                       level_id, tag_ids, card_id, card_code, card_class_id, card_class_name, card_status,
                       card_send_mode, card_shop_name, card_written_at, card_version, source_key, created_at)
                select v.to_id, $2, m.shop_id, 1, m.name, m.sex, m.birthday, m.phone, m.id_card, m.address, m.code,
                       lv.new_id, '{}', v.card_id, v.code, v.class_id, v.class_name, v.status, v.send_mode,
                       v.shop_name, v.written_at, v.version, 'migration:' || $3 || ':' || m.id, m.created_at
                from unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::varchar[], $8::bigint[], $9::varchar[],
                            $10::smallint[], $11::smallint[], $12::varchar[], $13::timestamptz[], $14::bigint[])
                     as v(from_id, to_id, card_id, code, class_id, class_name, status, send_mode, shop_name,
                          written_at, version)
                join member m on m.tenant_id = $1 and m.id = v.from_id
                left join unnest($15::bigint[], $16::bigint[]) as lv(old_id, new_id) on lv.old_id = m.level_id
                on conflict do nothing
                returning id, shop_id, level_id, card_id, card_status, name""")
                .execute(Tuple.from(new Object[]{from, to, id, fromIds,
                        withCard.stream().map(Moving::toId).toArray(Long[]::new),
                        withCard.stream().map(m -> byOldCard.get(m.cardId()).id()).toArray(Long[]::new),
                        withCard.stream().map(m -> byOldCard.get(m.cardId()).code()).toArray(String[]::new),
                        withCard.stream().map(m -> byOldCard.get(m.cardId()).cardClassId()).toArray(Long[]::new),
                        withCard.stream().map(m -> byOldCard.get(m.cardId()).cardClassName()).toArray(String[]::new),
                        withCard.stream().map(m -> (short) byOldCard.get(m.cardId()).status()).toArray(Short[]::new),
                        withCard.stream().map(m -> (short) byOldCard.get(m.cardId()).sendMode())
                                .toArray(Short[]::new),
                        withCard.stream().map(m -> byOldCard.get(m.cardId()).shopName()).toArray(String[]::new),
                        withCard.stream().map(m -> CardTimes.at(byOldCard.get(m.cardId()).writtenAt()))
                                .toArray(OffsetDateTime[]::new),
                        withCard.stream().map(m -> byOldCard.get(m.cardId()).version()).toArray(Long[]::new),
                        levels.keySet().toArray(new Long[0]), levels.values().toArray(new Long[0])}))
                .flatMap(arrived -> join(tx, to, arrived).replaceWith(arrived.rowCount()))
                .flatMap(count -> leave(tx, from, fromIds).replaceWith(count)));
    }

    /** The new members' figures join the new tenant's sums. */
    private Uni<Void> join(SqlConnection tx, long tenantId, io.vertx.mutiny.sqlclient.RowSet<Row> arrived) {
        return sums.join(tx, tenantId, SumsKeeper.Group.byCard(arrived));
    }

    /** The old members leave the old tenant (status 2), their figures its sums. */
    private Uni<Void> leave(SqlConnection tx, long tenantId, Long[] memberIds) {
        return tx.preparedQuery("""
                select id, shop_id, level_id, card_id, card_status, name from member
                where tenant_id = $1 and id = any($2) and status = 1 order by id for update""")
                .execute(Tuple.of(tenantId, memberIds))
                .flatMap(leaving -> sums.leave(tx, tenantId, SumsKeeper.Group.byCard(leaving)))
                .flatMap(ignored -> tx.preparedQuery("""
                        update member set status = 2, updated_at = now()
                        where tenant_id = $1 and id = any($2) and status = 1""")
                        .execute(Tuple.of(tenantId, memberIds)))
                .replaceWithVoid();
    }

    /** The new tenant's level for each old level of the members: one in use of the same name, or a copy. */
    private static Uni<Map<Long, Long>> levels(SqlConnection tx, long from, long to, Long[] memberIds) {
        return tx.preparedQuery("""
                with old as (select distinct l.* from member_level l join member m on m.level_id = l.id
                             where m.tenant_id = $1 and m.id = any($3)),
                existing as (select o.id as old_id, min(n.id) as new_id from old o join member_level n
                             on n.tenant_id = $2 and n.name = o.name and n.in_use group by o.id),
                created as (insert into member_level (tenant_id, name, level, discount, image_path)
                            select $2, o.name, o.level, o.discount, o.image_path from old o
                            where o.id not in (select old_id from existing) order by o.id returning id, name)
                select old_id, new_id from existing
                union all select o.id, c.id from created c join old o on o.name = c.name""")
                .execute(Tuple.of(from, to, memberIds))
                .map(rows -> {
                    Map<Long, Long> map = new HashMap<>();
                    rows.forEach(row -> map.putIfAbsent(row.getLong(0), row.getLong(1)));
                    return map;
                });
    }

    private Uni<Void> totals(Opened opened, int members, int cardCount, JsonNode money) {
        return pool.preparedQuery("""
                update migration set state = 'DONE', members = members + $2, cards = $3, accounts = $4,
                       actual_balance = $5, give_balance = $6, points = $7, error = null, finished_at = now()
                where id = $1 and run = $8""")
                .execute(Tuple.from(new Object[]{opened.id(), members, cardCount, money.path("accounts").asInt(),
                        decimal(money, "actualBalance"), decimal(money, "giveBalance"), money.path("points").asLong(),
                        opened.run()}))
                .replaceWithVoid();
    }

    /** Ends the migration in {@code state}, if it is still this run's (and running); answers whether it was. */
    private Uni<Boolean> end(Opened opened, String state, String error) {
        return pool.preparedQuery("""
                update migration set state = $3, error = $4, finished_at = now()
                where id = $1 and run = $2 and state = 'RUNNING'""")
                .execute(Tuple.of(opened.id(), opened.run(), state, truncate(error)))
                .map(rows -> rows.rowCount() == 1);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 300 ? error : error.substring(0, 300);
    }

    /** A migration's audit record; 404 for none. */
    public Uni<MigrationReport> report(String id) {
        return pool.preparedQuery("select * from migration where id = $1").execute(Tuple.of(id)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ApiException.notFound("migration " + id);
            }
            Row m = rows.iterator().next();
            String conflicts = m.getString("conflicts");
            var finished = m.getOffsetDateTime("finished_at");
            return new MigrationReport(m.getString("id"), m.getString("state"), m.getLong("from_tenant_id"),
                    m.getLong("to_tenant_id"), m.getLong("shop_id"), m.getString("shop_name"),
                    m.getInteger("members"), m.getInteger("cards"), m.getInteger("accounts"),
                    m.getBigDecimal("actual_balance"), m.getBigDecimal("give_balance"), m.getLong("points"),
                    conflicts.isEmpty() ? List.of() : List.of(conflicts.split("\n")), m.getString("error"),
                    m.getString("user_id"), m.getString("user_name"), m.getOffsetDateTime("created_at").toInstant(),
                    finished == null ? null : finished.toInstant());
        });
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.decimalValue() : Money.ZERO;
    }
}
