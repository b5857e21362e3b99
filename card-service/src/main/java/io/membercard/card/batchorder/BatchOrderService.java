package io.membercard.card.batchorder;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.card.card.CardEvents;
import io.membercard.card.card.CardSecrets;
import io.membercard.card.card.CardService;
import io.membercard.card.card.MacGuard;
import io.membercard.card.cardclass.CardClassService;
import io.membercard.card.config.CardConfig;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.db.PgErrors;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.IdempotencyStore;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.limits.Limit;
import io.membercard.common.limits.Quotas;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.paging.SqlFilter;
import io.membercard.common.security.Operator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

/**
 * Batch card orders (会员批量开卡单): a shop orders a run of physical cards, the till writes them one by one, and
 * the order finishes when every card is written.
 */
@ApplicationScoped
public class BatchOrderService {
    private static final Logger LOG = Logger.getLogger(BatchOrderService.class);
    private static final DateTimeFormatter CODE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Pool pool;
    private final BatchOrderRepository orders;
    private final CardClassService cardClasses;
    private final CardSecrets secrets;
    private final CardService verifier;
    private final IdempotencyStore idempotency;
    private final CardConfig config;
    private final ZoneId zone;
    private final CardEvents events;
    private final Quotas quotas;

    public BatchOrderService(Pool pool, BatchOrderRepository orders, CardClassService cardClasses, CardSecrets secrets,
            IdempotencyStore idempotency, CardConfig config, CommonConfig commonConfig, CardEvents events,
            CardService verifier, Quotas quotas) {
        this.events = events;
        this.quotas = quotas;
        this.verifier = verifier;
        this.pool = pool;
        this.orders = orders;
        this.cardClasses = cardClasses;
        this.secrets = secrets;
        this.idempotency = idempotency;
        this.config = config;
        this.zone = ZoneId.of(commonConfig.timeZone());
    }

    /** What a batch order asks for, after validation; its hash tells a retry from a different order. */
    record CreateCommand(long shopId, String shopName, String code, long memberCardClassId, String startCode,
            String endCode, int count) {
    }

    /** The filters of the order list. */
    public record ListFilter(Long shopId, Instant from, Instant toExclusive, Boolean finished, String keyword) {
    }

    /**
     * Creates the order and all its cards, unwritten, in one transaction. A range that would reuse any existing
     * card code is refused whole. With a client {@code code}, a retry returns the first order. The cards count
     * against the tenant's batch cards a day ({@link Limit#BATCH_CARDS_PER_DAY}, 429 beyond): taken before anything
     * is created, given back when nothing was; a retry is answered before and counts nothing.
     */
    public Uni<Idempotent<Long>> create(Operator operator, long shopId, BatchCreateRequest request) {
        CardCodeRange range = CardCodeRange.of(request.startCode(), request.endCode(), request.expectCount(),
                config.maxBatchSize());
        String shopName = request.shopName() == null ? "" : request.shopName().trim();
        String code = request.code() == null || request.code().isBlank() ? null : request.code().trim();
        long tenantId = operator.tenantId();
        return cardClasses.requireUsable(tenantId, request.memberCardClassId(), "memberCardClassId")
                .flatMap(cardClass -> {
                    CreateCommand command = new CreateCommand(shopId, shopName, code, cardClass.id(),
                            range.startCode(), range.endCode(), range.count());
                    if (code == null) {
                        return counted(tenantId, range, () -> pool.withTransaction(tx -> insert(tx, operator,
                                command, range)).map(id -> new Idempotent<>(id, false)));
                    }
                    IdempotencyKey key = IdempotencyKey.of(tenantId, "batchcreate", code, command);
                    return idempotency.find(pool, key, Long.class).flatMap(done -> done != null
                            ? Uni.createFrom().item(done)
                            : counted(tenantId, range, () -> idempotency.runFresh(pool, key, Long.class,
                                    tx -> insert(tx, operator, command, range))));
                })
                .onFailure(PgErrors::isUniqueViolation)
                .recoverWithUni(e -> refuseDuplicate((PgException) e, tenantId, range));
    }

    /**
     * Takes the order's cards from the tenant's quota of the day, then creates them; gives them back when the
     * creation failed or a concurrent retry with the same code made the order first.
     */
    private Uni<Idempotent<Long>> counted(long tenantId, CardCodeRange range,
            Supplier<Uni<Idempotent<Long>>> create) {
        return quotas.take(tenantId, Limit.BATCH_CARDS_PER_DAY, range.count())
                .flatMap(taken -> Uni.createFrom().<Idempotent<Long>>deferred(create::get)
                        .onFailure().call(() -> quotas.giveBack(taken))
                        .call(created -> created.replayed() ? quotas.giveBack(taken) : Uni.createFrom().voidItem()));
    }

    private Uni<Long> insert(SqlClient tx, Operator operator, CreateCommand command, CardCodeRange range) {
        long tenantId = operator.tenantId();
        return orders.findConflicts(tx, tenantId, range)
                .flatMap(conflicts -> {
                    if (conflicts.total() > 0) {
                        return Uni.createFrom().failure(conflictError(conflicts));
                    }
                    return orders.nextOrderId(tx);
                })
                .flatMap(id -> {
                    String orderCode = command.code() != null
                            ? command.code()
                            : "BC" + CODE_DATE.format(Instant.now().atZone(zone)) + "-" + id;
                    return orders.insertOrder(tx, id, tenantId, orderCode, command.shopId(), command.shopName(),
                            command.memberCardClassId(), range, operator.userId(), operator.userName())
                            .flatMap(ignored -> orders.insertCards(tx, tenantId, id, command.memberCardClassId(),
                                    command.shopId(), command.shopName(), range))
                            .map(created -> {
                                LOG.infof("tenant %d: batch order %s (%d) created %d cards %s to %s", tenantId,
                                        orderCode, id, created, range.startCode(), range.endCode());
                                return id;
                            });
                });
    }

    /** A concurrent order took some codes (or the order number) between our check and our insert. */
    private Uni<Idempotent<Long>> refuseDuplicate(PgException e, long tenantId, CardCodeRange range) {
        if (e.getConstraint() != null && e.getConstraint().startsWith("batch_order")) {
            return Uni.createFrom().failure(ApiException.badInput("code", "is already the number of another order"));
        }
        return orders.findConflicts(pool, tenantId, range)
                .flatMap(conflicts -> Uni.createFrom().failure(conflictError(conflicts)));
    }

    private static ApiException conflictError(BatchOrderRepository.Conflicts conflicts) {
        return ApiException.badInput("startCode", conflicts.total() + " card code(s) of this range already exist, "
                + "first: " + String.join(", ", conflicts.first()) + "; the order was not created");
    }

    /**
     * An order with one page of its cards ({@code detailPage}): an order may have 100,000, which no till needs in one
     * answer. Another shop's order is invisible to a cashier ({@code shopScope}).
     */
    public Uni<BatchOrderView> get(long tenantId, Long shopScope, long id, PageQuery detailPage) {
        return orders.findById(pool, tenantId, id).flatMap(order -> {
            if (order == null || (shopScope != null && order.shopId() != shopScope)) {
                return Uni.createFrom().failure(ApiException.notFound("batch order " + id));
            }
            return orders.details(pool, tenantId, id, detailPage)
                    .map(cards -> order.withDetails(cards, detailPage.pageIndex(), detailPage.pageSize()));
        });
    }

    public Uni<Page<BatchOrderView, OrderSums>> list(long tenantId, ListFilter filter, PageQuery page) {
        return orders.count(pool, where(tenantId, filter)).flatMap(count -> count.orders() == 0
                ? Uni.createFrom().item(Page.of(page, List.<BatchOrderView>of(), 0, count.sums()))
                : orders.page(pool, where(tenantId, filter), page)
                        .map(rows -> Page.of(page, rows, count.orders(), count.sums())));
    }

    private static SqlFilter where(long tenantId, ListFilter filter) {
        return SqlFilter.tenant("o.tenant_id", tenantId)
                .and("o.shop_id = ?", filter.shopId())
                .and("o.created_at >= ?", filter.from() == null ? null : filter.from().atOffset(ZoneOffset.UTC))
                .and("o.created_at < ?",
                        filter.toExclusive() == null ? null : filter.toExclusive().atOffset(ZoneOffset.UTC))
                .and("o.is_finished = ?", filter.finished())
                .andKeyword(filter.keyword(), word -> "(o.code ilike " + word.contains() + " or o.shop_name ilike "
                        + word.contains() + " or cc.name ilike " + word.contains()
                        + " or o.id = (select k.batch_order_id"
                        + " from card k where k.tenant_id = o.tenant_id and k.code = " + word.whole() + "))");
    }

    /**
     * Records that the card of detail {@code id} was written with {@code mac}: stores only the MAC's hash,
     * activates the card, counts the write, moves {@code currentCode} and finishes the order with its last card.
     * A detail that is already written is refused (409); use rewrite for that.
     */
    public Uni<String> write(MacGuard.Guesser guesser, Long shopScope, WriteCardRequest request) {
        long tenantId = guesser.tenantId();
        String mac = request.mac().trim();
        return verifier.newMacAttempt(guesser)
                .flatMap(paid -> pool.withTransaction(tx -> orders.lockForWrite(tx, tenantId, request.orderId())
                        .flatMap(order -> {
                            if (order == null || (shopScope != null && order.shopId() != shopScope)) {
                                return Uni.createFrom().<BatchOrderRepository.OrderCard>failure(
                                        ApiException.notFound("batch order " + request.orderId()));
                            }
                            return orders.findCardInOrder(tx, tenantId, request.orderId(), request.id());
                        })
                        .flatMap(card -> {
                            if (card == null) {
                                return Uni.createFrom().<String>failure(ApiException.notFound(
                                        "detail " + request.id() + " of batch order " + request.orderId()));
                            }
                            if (request.cardCode() != null && !request.cardCode().isBlank()
                                    && !card.code().equals(request.cardCode().trim())) {
                                return Uni.createFrom().failure(ApiException.badInput("cardCode",
                                        "detail " + card.id() + " is card " + card.code() + ", not "
                                                + request.cardCode()));
                            }
                            if (card.writtenAt() != null) {
                                return Uni.createFrom().failure(alreadyWritten(card.code(), card.id()));
                            }
                            if (card.busy()) {
                                return Uni.createFrom().failure(new ApiException(StatusCode.CARD_UNUSABLE, "card "
                                        + card.code() + " is being written by a replacement; try again in a moment"));
                            }
                            return verifier.macFree(tx, tenantId, mac, card.id())
                                    .flatMap(free -> orders.markWritten(tx, tenantId, card.id(),
                                            secrets.hash(tenantId, mac)))
                                    .flatMap(marked -> marked
                                            ? orders.recordWrite(tx, tenantId, request.orderId())
                                                    .call(() -> events.changed(tx, tenantId, List.of(card.id())))
                                                    .replaceWith(card.code())
                                            : Uni.createFrom().failure(alreadyWritten(card.code(), card.id())));
                        }))
                        .onFailure(PgErrors::isUniqueViolation).transform(e -> CardService.macRefused()))
                .onFailure().call(e -> verifier.onMacCollision(guesser, e));
    }

    private static ApiException alreadyWritten(String code, long detailId) {
        return new ApiException(StatusCode.CONFLICT, "card " + code + " (detail " + detailId
                + ") is already written; use rewrite to write it again");
    }

}
