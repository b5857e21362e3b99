package io.membercard.member.member;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.db.PgErrors;
import io.membercard.common.events.Outbox;
import io.membercard.common.internal.ServiceAnswer;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.paging.SqlFilter;
import io.membercard.common.security.Operator;
import io.membercard.member.client.AccountClient;
import io.membercard.member.client.CardClient;
import io.membercard.member.client.CardInfo;
import io.membercard.member.projection.Figures;
import io.membercard.member.projection.ProjectionStore;
import io.membercard.member.projection.SumsKeeper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Members: created on a card card-service issues (a batch-order card, or a virtual one), changed, found and listed.
 * Lists and their sums come from member-service's own copy of card and account figures; a single member and a
 * search at the till show the live figures of payment-service when it answers.
 */
@ApplicationScoped
public class MemberService {
    public static final String MEMBER_CREATED = "member.created";
    static final int SEARCH_LIMIT = 50;
    /** A till's look-up by a whole key finds one member, or the few whose phone or card code it is. */
    static final int TILL_SEARCH_LIMIT = 5;
    private static final Logger LOG = Logger.getLogger(MemberService.class);

    private final Pool pool;
    private final MemberRepository members;
    private final ProjectionStore projection;
    private final SumsKeeper sums;
    private final Outbox outbox;
    private final CardClient cards;
    private final AccountClient accounts;
    private final ObjectMapper mapper;
    private final CashierLookups lookups;

    public MemberService(Pool pool, MemberRepository members, ProjectionStore projection, SumsKeeper sums,
            Outbox outbox, CardClient cards, AccountClient accounts, ObjectMapper mapper, CashierLookups lookups) {
        this.lookups = lookups;
        this.pool = pool;
        this.members = members;
        this.projection = projection;
        this.sums = sums;
        this.outbox = outbox;
        this.cards = cards;
        this.accounts = accounts;
        this.mapper = mapper;
    }

    // --- reading ------------------------------------------------------------------------------------------

    /** The filters of the member lists; {@code wholeKey} (a till's) replaces {@code keyword}. */
    public record ListFilter(String keyword, Long levelId, Long shopId, Integer cardStatus, Instant from,
            Instant toExclusive, Long cardClassId, WholeKey wholeKey) {

        public ListFilter(String keyword, Long levelId, Long shopId, Integer cardStatus, Instant from,
                Instant toExclusive, Long cardClassId) {
            this(keyword, levelId, shopId, cardStatus, from, toExclusive, cardClassId, null);
        }

        /** The same filters with the keyword compared whole, as a till's. */
        ListFilter whole() {
            return new ListFilter(null, levelId, shopId, cardStatus, from, toExclusive, cardClassId,
                    WholeKey.of(keyword));
        }
    }

    /** S1-00: a member of the tenant with live figures; 404 for none (or another tenant's). */
    public Uni<MemberView> get(long tenantId, long id) {
        return get(tenantId, id, null);
    }

    /**
     * S1-00 for {@code till} (null: a manager): a look-up it pays for, of a member of its shop or one it found by a
     * whole key (any other is answered as one that does not exist), masked.
     */
    public Uni<MemberView> get(long tenantId, long id, Till till) {
        Uni<MemberRow> member = till == null
                ? members.find(pool, tenantId, id).map(found -> {
                    if (found == null) {
                        throw ApiException.notFound("member " + id);
                    }
                    return found;
                })
                : lookups.count(till).flatMap(ignored -> readable(tenantId, id, till));
        return member.flatMap(found -> views(tenantId, List.of(found), true, till != null)).map(list -> list.get(0));
    }

    /**
     * A level and tags decide a member's discounts: a manager's to change. A till that sends the member back as it
     * read it (same level, same tags) changes its profile only.
     */
    private static void levelAndTagsUnchanged(MemberSave request, MemberRow current) {
        Long level = request.memberLevelId() == null || request.memberLevelId() == 0 ? null : request.memberLevelId();
        if (request.memberLevelId() != null && !java.util.Objects.equals(level, current.levelId())) {
            throw ApiException.forbidden("memberLevelId: a member's level is changed by a manager");
        }
        if (request.memberTagIds() != null && !new HashSet<>(request.memberTagIds()).equals(
                new HashSet<>(current.tagIds() == null ? List.of() : current.tagIds()))) {
            throw ApiException.forbidden("memberTagIds: a member's tags are changed by a manager");
        }
    }

    /** The member {@code till} may read and change by id: one it found by a whole key or made; else 404. */
    private Uni<MemberRow> readable(long tenantId, long id, Till till) {
        return members.find(pool, tenantId, id).flatMap(member -> {
            if (member == null) {
                return Uni.createFrom().failure(ApiException.notFound("member " + id));
            }
            // Not "any member of its shop": member ids are one sequence, and walking them would list strangers.
            return lookups.found(till, id).map(found -> {
                if (!found) {
                    throw ApiException.notFound("member " + id);
                }
                return member;
            });
        });
    }

    /**
     * S1-01, S1-02 for {@code till} (null: a manager): a till's list is a look-up it pays for, by a whole phone
     * number or card code only, masked.
     */
    public Uni<Page<MemberView, MemberSums>> list(long tenantId, ListFilter filter, PageQuery page, Till till) {
        if (till == null) {
            return list(tenantId, filter, page);
        }
        ListFilter whole = filter.whole();
        return lookups.count(till).flatMap(ignored -> members.count(pool, where(tenantId, whole)))
                .flatMap(c -> c.members() == 0
                        ? Uni.createFrom().item(Page.of(page, List.<MemberView>of(), 0, MemberSums.of(c.sums())))
                        : members.page(pool, where(tenantId, whole), page, true)
                                .flatMap(rows -> views(tenantId, rows, false, true))
                                .map(views -> Page.of(page, views, c.members(), MemberSums.of(c.sums()))));
    }

    /** S1-01, S1-02: a page of members, newest first, with the sums of every member the filters select. */
    public Uni<Page<MemberView, MemberSums>> list(long tenantId, ListFilter filter, PageQuery page) {
        boolean byPlace = filter.from() == null && filter.toExclusive() == null && filter.cardClassId() == null;
        String keyword = filter.keyword();
        Uni<MemberRepository.Count> count;
        if (byPlace && keyword == null) {
            count = members.countFromSums(pool, "member_sums", SqlFilter.tenant("s.tenant_id", tenantId)
                    .and("s.shop_id = ?", filter.shopId()).and("s.level_id = ?", filter.levelId())
                    .and("s.card_status = ?", filter.cardStatus()));
        } else if (byPlace && filter.shopId() == null && filter.levelId() == null
                && keyword.codePointCount(0, keyword.length()) == 1) {
            // Names starting with the character, from the kept sums; then the few whose phone or card code is it.
            count = members.countFromSums(pool, "member_initial_sums", SqlFilter.tenant("s.tenant_id", tenantId)
                    .and("s.initial = ?", keyword).and("s.card_status = ?", filter.cardStatus()))
                    .flatMap(byName -> members.count(pool, SqlFilter.tenant("m.tenant_id", tenantId)
                            .and("m.status = ?", 1).and("m.card_status = ?", filter.cardStatus())
                            .and("(m.phone = ? or m.card_code = ?)", keyword).and("left(m.name, 1) <> ?", keyword))
                            .map(byName::plus));
        } else {
            count = members.count(pool, where(tenantId, filter));
        }
        return count.flatMap(c -> c.members() == 0
                ? Uni.createFrom().item(Page.of(page, List.<MemberView>of(), 0, MemberSums.of(c.sums())))
                : members.page(pool, where(tenantId, filter), page, inside(keyword))
                        .flatMap(rows -> views(tenantId, rows, false, false))
                        .map(views -> Page.of(page, views, c.members(), MemberSums.of(c.sums()))));
    }

    /** S1-03: every member of a card class, read in pieces so that any number of them can be sent. */
    public Multi<MemberView> byClass(long tenantId, ListFilter filter) {
        AtomicLong after = new AtomicLong(0);
        return Multi.createBy().repeating()
                .uni(() -> members.after(pool, where(tenantId, filter), after.get(), 500)
                        .flatMap(rows -> {
                            if (!rows.isEmpty()) {
                                after.set(rows.get(rows.size() - 1).id());
                            }
                            return views(tenantId, rows, false, false);
                        }))
                .until(List::isEmpty)
                .onItem().disjoint();
    }

    /**
     * S1-06: members found by name, phone or card code, or the member of the card whose MAC the till read. For
     * {@code till} (null: a manager) a look-up it pays for: by the card's MAC, or by a whole phone number or card
     * code of any shop of the tenant (a chain's members shop anywhere), a few members at most, masked; the members
     * found stay readable by id for it a while.
     */
    public Uni<List<MemberView>> search(long tenantId, String keyword, String mac, Till till) {
        if (mac != null) {
            Uni<Void> paid = till == null ? Uni.createFrom().voidItem() : lookups.count(till);
            return paid.flatMap(ignored -> cards.checkByMac(mac)).flatMap(answer -> {
                if (answer.kind() == ServiceAnswer.Kind.REFUSED) {
                    return Uni.createFrom().<List<MemberRow>>failure(answer.failure("card service"));
                }
                if (!answer.done()) {
                    // Never the call's own text: it could carry the request, and the request carries the MAC.
                    return Uni.createFrom().failure(new ApiException(StatusCode.INTERNAL, answer.nothingChanged()
                            ? "the card service is unavailable; try again"
                            : "the card service did not answer; try again"));
                }
                return members.findByCard(pool, tenantId, answer.data().path("id").asLong())
                        .map(found -> found == null ? List.<MemberRow>of() : List.of(found));
            }).flatMap(rows -> found(till, rows));
        }
        if (till != null) {
            SqlFilter filter = where(tenantId, new ListFilter(keyword, null, null, null, null, null, null).whole());
            return lookups.count(till)
                    .flatMap(ignored -> members.page(pool, filter, new PageQuery(1, TILL_SEARCH_LIMIT), true))
                    .flatMap(rows -> found(till, rows));
        }
        if (keyword == null) {
            throw ApiException.badInput("keyword", "is required without mac");
        }
        SqlFilter filter = where(tenantId, new ListFilter(keyword, null, null, null, null, null, null));
        return members.page(pool, filter, new PageQuery(1, SEARCH_LIMIT), inside(keyword))
                .flatMap(rows -> views(tenantId, rows, true, false));
    }

    /** What a look-up found, as views; a till's are remembered as found by it, and masked. */
    private Uni<List<MemberView>> found(Till till, List<MemberRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        long tenantId = rows.get(0).tenantId();
        Uni<Void> remembered = till == null
                ? Uni.createFrom().voidItem()
                : lookups.remember(till, rows.stream().map(MemberRow::id).toList());
        return remembered.flatMap(ignored -> views(tenantId, rows, true, till != null));
    }

    /** Whether {@code keyword} is matched anywhere inside names, phones and card codes (by trigrams). */
    private static boolean inside(String keyword) {
        return keyword != null && keyword.length() >= 3;
    }

    static SqlFilter where(long tenantId, ListFilter filter) {
        SqlFilter where = SqlFilter.tenant("m.tenant_id", tenantId).and("m.status = ?", 1)
                .and("m.shop_id = ?", filter.shopId()).and("m.level_id = ?", filter.levelId())
                .and("m.card_status = ?", filter.cardStatus()).and("m.card_class_id = ?", filter.cardClassId())
                .and("m.created_at >= ?", CardTimes.at(filter.from()))
                .and("m.created_at < ?", CardTimes.at(filter.toExclusive()));
        if (filter.wholeKey() != null) {
            // A till's key: a whole phone number or card code, each found through its own index.
            return where.and("(m.phone = any(?) or m.card_code = any(?))",
                    filter.wholeKey().values().toArray(String[]::new));
        }
        String keyword = filter.keyword();
        if (inside(keyword)) {
            // Any part of name, phone or card code: the trigram index answers this.
            return where.andKeyword(keyword, word -> "(m.name || ' ' || coalesce(m.phone, '') || ' '"
                    + " || coalesce(m.card_code, '')) ilike " + word.contains());
        }
        // Too short for trigrams: the start of a name, or a whole phone or card code, compared as sent.
        return where.andKeyword(keyword, word -> "(m.name like " + word.startsWith() + " or m.phone = "
                + word.whole() + " or m.card_code = " + word.whole() + ")");
    }

    /**
     * The rows as views, with their tags' names and, for a till's lookup, the figures payment-service has now;
     * {@code masked} for a cashier.
     */
    private Uni<List<MemberView>> views(long tenantId, List<MemberRow> rows, boolean live, boolean masked) {
        List<Long> tagIds = rows.stream().flatMap(r -> r.tagIds().stream()).toList();
        Uni<List<MemberRow>> figures = live ? withLiveFigures(rows) : Uni.createFrom().item(rows);
        return figures.flatMap(withFigures -> members.tagNames(pool, tenantId, tagIds)
                .map(names -> withFigures.stream().map(row -> {
                    MemberView view = MemberView.of(row, names);
                    return masked ? view.masked() : view;
                }).toList()));
    }

    /** The rows with payment-service's figures; member-service's own when payment-service does not answer. */
    private Uni<List<MemberRow>> withLiveFigures(List<MemberRow> rows) {
        List<Long> cardIds = rows.stream().map(MemberRow::cardId).filter(id -> id != null).toList();
        if (cardIds.isEmpty()) {
            return Uni.createFrom().item(rows);
        }
        return accounts.byCards(cardIds).map(live -> {
            Map<Long, JsonNode> byCard = new HashMap<>();
            live.forEach(account -> byCard.put(account.path("cardId").asLong(), account));
            return rows.stream().map(row -> {
                JsonNode account = row.cardId() == null ? null : byCard.get(row.cardId());
                return account == null
                        ? row.withFigures(Figures.ZERO, null)
                        : row.withFigures(Figures.of(account),
                                mapper.convertValue(account.path("pointsDisabledDate"), Instant.class));
            }).toList();
        }).onFailure().recoverWithItem(e -> {
            LOG.warnf("payment-service did not answer for member figures; showing member-service's copy: %s",
                    e.toString());
            return rows;
        });
    }

    // --- creating and changing ----------------------------------------------------------------------------

    /**
     * S1-18: a member on a card card-service issues. The member is recorded first as being created, the card is
     * issued to it, and then it becomes a member and its account opens. When card-service refuses or cannot be
     * reached, nothing stays behind; when its answer is lost, {@link PendingMembers} finishes or removes it.
     */
    public Uni<Long> create(Operator operator, long shopId, MemberSave request, Till till) {
        if (till == null) {
            return create(operator, shopId, request);
        }
        // A cashier's creation is a look-up too: "this phone belongs to a member already" answers whether it does.
        // The member made is one it found.
        return lookups.count(till).flatMap(paid -> create(operator, shopId, request))
                .call(id -> lookups.remember(till, List.of(id)));
    }

    public Uni<Long> create(Operator operator, long shopId, MemberSave request) {
        MemberRepository.Profile profile = profile(request, null);
        Integer mode = request.cardSendMode();
        String cardCode = request.cardCode() == null || request.cardCode().isBlank() ? null : request.cardCode().trim();
        int sendMode = mode != null ? mode : cardCode == null ? 4 : 1;
        if (sendMode < 1 || sendMode > 4) {
            throw ApiException.badInput("cardSendMode", "must be 1 (physical), 2 (WeChat), 3 (offline) or 4 (virtual)");
        }
        if (cardCode == null && sendMode != 4) {
            throw ApiException.badInput("cardCode", "is required (or cardSendMode 4 for a virtual card)");
        }
        if (cardCode != null && (cardCode.length() > 32 || !cardCode.matches("[A-Za-z0-9_-]+"))) {
            throw ApiException.badInput("cardCode", "must be at most 32 letters, digits, - or _");
        }
        if (sendMode == 4 && request.cardClassId() == null) {
            throw ApiException.badInput("cardClassId", "is required for a virtual card");
        }
        long tenantId = operator.tenantId();
        return check(pool, tenantId, profile, 0, null).flatMap(ignored -> members.nextId(pool)).flatMap(id -> members
                .insertPending(pool, id, tenantId, shopId, profile, null)
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> ApiException.badInput("phone", "belongs to another member already"))
                .flatMap(inserted -> cards.issue(new CardClient.Issue(tenantId, shopId,
                        MemberRules.text("cardSendShopName", request.cardSendShopName(), 64), request.cardClassId(),
                        operator.userId(), operator.userName(), List.of(new CardClient.Item("member-" + id, id,
                                cardCode, blankToNull(request.cardMac()), sendMode, request.cardClassId(),
                                sendMode == 4, null, null)))))
                .flatMap(answer -> {
                    if (answer.done()) {
                        JsonNode item = answer.data().get(0);
                        JsonNode card = CardClient.cardOf(item);
                        if (card == null) {
                            return members.deletePending(pool, tenantId, id).flatMap(nothing -> Uni.createFrom()
                                    .failure(refusal(item)));
                        }
                        return activate(tenantId, id, mapper.convertValue(card, CardInfo.class)).replaceWith(id);
                    }
                    if (answer.nothingChanged()) {
                        return members.deletePending(pool, tenantId, id)
                                .flatMap(nothing -> Uni.createFrom().failure(answer.failure("card service")));
                    }
                    return Uni.createFrom().failure(new ApiException(StatusCode.INTERNAL, "the card service did not "
                            + "answer; the member is completed or removed automatically within minutes"));
                }))
                .invoke(id -> LOG.infof("tenant %d: member %d created (phone %s)", tenantId, id,
                        Pii.phone(profile.phone())));
    }

    /**
     * A member whose card is issued becomes a member: its card, its place in the sums, and an event that opens the
     * card's account in payment-service.
     */
    public Uni<Void> activate(long tenantId, long memberId, CardInfo card) {
        return pool.withTransaction(tx -> activate(tx, tenantId, memberId, card));
    }

    /** {@link #activate(long, long, CardInfo)} within {@code tx}. */
    public Uni<Void> activate(SqlConnection tx, long tenantId, long memberId, CardInfo card) {
        return members.activate(tx, tenantId, memberId, card).flatMap(group -> group == null
                // Made a member already (by the other of the request and the pending job), or removed.
                ? Uni.createFrom().voidItem()
                : sums.join(tx, tenantId, Map.of(card.id(), group))
                        .flatMap(ignored -> outbox.append(tx, tenantId, MEMBER_CREATED, Long.toString(memberId),
                                Map.of("memberId", memberId, "cardId", card.id(), "cardCode", card.code())))
                        .replaceWithVoid());
    }

    /**
     * S1-19 for {@code till} (null: a manager): for a till a look-up it pays for, of a member of its shop or one it
     * found by a whole key (any other is answered as one that does not exist).
     */
    public Uni<Void> update(long tenantId, MemberSave request, Till till) {
        if (request.id() == null || request.id() < 1) {
            throw ApiException.badInput("id", "is required");
        }
        if (till == null) {
            return update(tenantId, request);
        }
        // A cashier changes what it was shown; it does not erase what it was not (a masked number).
        if (request.idCard() != null && request.idCard().isBlank()) {
            throw ApiException.badInput("idCard", "a cashier cannot clear an identity number: leave it out");
        }
        if (request.phone() != null && request.phone().isBlank()) {
            throw ApiException.badInput("phone", "a cashier cannot clear a phone number: leave it out");
        }
        return lookups.count(till).flatMap(ignored -> readable(tenantId, request.id(), till))
                .invoke(current -> levelAndTagsUnchanged(request, current))
                .flatMap(ignored -> update(tenantId, request));
    }

    /**
     * S1-19: changes a member's profile, level and tags (absent fields stay as they are, and so does a phone or
     * identity number sent back masked, as a cashier was shown it).
     */
    public Uni<Void> update(long tenantId, MemberSave request) {
        if (request.id() == null || request.id() < 1) {
            throw ApiException.badInput("id", "is required");
        }
        return pool.withTransaction(tx -> members.lock(tx, tenantId, request.id()).flatMap(member -> {
            if (member == null || member.status() != 1) {
                return Uni.createFrom().failure(ApiException.notFound("member " + request.id()));
            }
            MemberRepository.Profile profile = profile(request, member);
            SumsKeeper.Group before = SumsKeeper.Group.of(member.shopId(), member.levelId(), member.cardStatus(),
                    member.name());
            SumsKeeper.Group after = SumsKeeper.Group.of(member.shopId(), profile.levelId(), member.cardStatus(),
                    profile.name());
            return check(tx, tenantId, profile, member.id(), member)
                    .flatMap(ignored -> after.equals(before)
                            ? Uni.createFrom().voidItem()
                            : projection.lockedFigures(tx, tenantId, member.cardId())
                                    .flatMap(figures -> sums.apply(tx, tenantId,
                                            new SumsKeeper.Changes().leave(before, figures).join(after, figures))))
                    .flatMap(ignored -> tx.preparedQuery("""
                            update member set name = $3, sex = $4, birthday = $5, phone = $6, id_card = $7,
                                   address = $8, code = $9, level_id = $10, tag_ids = $11, updated_at = now()
                            where tenant_id = $1 and id = $2""")
                            .execute(io.vertx.mutiny.sqlclient.Tuple.from(new Object[]{tenantId, member.id(),
                                    profile.name(), (short) profile.sex(), profile.birthday(), profile.phone(),
                                    profile.idCard(), profile.address(), profile.code(), profile.levelId(),
                                    profile.tagIds().toArray(new Long[0])})))
                    .replaceWithVoid();
        })).onFailure(PgErrors::isUniqueViolation)
                .transform(e -> ApiException.badInput("phone", "belongs to another member already"))
                .invoke(() -> LOG.infof("tenant %d: member %d changed", tenantId, request.id()));
    }

    /** The request's profile, validated; on update, absent fields keep {@code current}'s values. */
    static MemberRepository.Profile profile(MemberSave r, MemberRow current) {
        boolean create = current == null;
        String name = MemberRules.name("name", r.name(), create);
        // A number sent back as it was shown masked is unchanged; any other masked text is refused as invalid.
        String sentPhone = !create && Pii.isMaskOf(r.phone(), current.phone(), Pii::phone) ? null : r.phone();
        String sentIdCard = !create && Pii.isMaskOf(r.idCard(), current.idCard(), Pii::idCard) ? null : r.idCard();
        String phone = MemberRules.phone("phone", sentPhone, create);
        String sentAddress = !create && r.address() != null && current.address() != null
                && !current.address().isEmpty() && r.address().equals(Pii.address(current.address()))
                        ? null
                        : r.address();
        if (sentAddress != null && sentAddress.contains("***")) {
            throw ApiException.badInput("address", "is masked text: send the whole address, or leave it out");
        }
        String address = MemberRules.text("address", sentAddress, 200);
        String code = MemberRules.text("code", r.code(), 32);
        List<Long> tags = r.memberTagIds() == null ? null : new ArrayList<>(new HashSet<>(r.memberTagIds()));
        if (tags != null && tags.size() > 20) {
            throw ApiException.badInput("memberTagIds", "at most 20 tags");
        }
        if (tags != null && tags.stream().anyMatch(t -> t == null || t < 1)) {
            throw ApiException.badInput("memberTagIds", "must be tag ids");
        }
        Long level = r.memberLevelId() == null ? null : r.memberLevelId() == 0 ? null : r.memberLevelId();
        if (create) {
            return new MemberRepository.Profile(name, MemberRules.sex("sex", r.sex()),
                    MemberRules.birthday("birthday", r.birthday()), phone, MemberRules.idCard("idCard", r.idCard()),
                    address == null ? "" : address, code == null ? "" : code, level, tags == null ? List.of() : tags);
        }
        return new MemberRepository.Profile(name != null ? name : current.name(),
                r.sex() != null ? MemberRules.sex("sex", r.sex()) : current.sex(),
                r.birthday() != null ? MemberRules.birthday("birthday", r.birthday()) : current.birthday(),
                phone != null ? phone : current.phone(),
                sentIdCard != null ? MemberRules.idCard("idCard", sentIdCard) : current.idCard(),
                address != null ? address : current.address(), code != null ? code : current.code(),
                r.memberLevelId() != null ? level : current.levelId(), tags != null ? tags : current.tagIds());
    }

    /**
     * The level and tags must be the tenant's, in use (a member keeps one taken out of use); the phone free. Only
     * what changes from {@code current} (null for a new member) is checked, with {@code client}.
     */
    private Uni<Void> check(SqlClient client, long tenantId, MemberRepository.Profile profile, long exceptId,
            MemberRow current) {
        Uni<Void> level = profile.levelId() == null
                || current != null && profile.levelId().equals(current.levelId())
                        ? Uni.createFrom().voidItem()
                        : members.levelInUse(client, tenantId, profile.levelId()).map(ok -> {
                            if (!ok) {
                                throw ApiException.badInput("memberLevelId", "no level " + profile.levelId()
                                        + " in use");
                            }
                            return null;
                        });
        List<Long> newTags = profile.tagIds().stream()
                .filter(t -> current == null || !current.tagIds().contains(t)).toList();
        Uni<Void> tags = members.tagsInUse(client, tenantId, newTags).map(found -> {
            for (Long tag : newTags) {
                if (!found.contains(tag)) {
                    throw ApiException.badInput("memberTagIds", "no tag " + tag + " in use");
                }
            }
            return null;
        });
        Uni<Void> phone = profile.phone() == null || current != null && profile.phone().equals(current.phone())
                ? Uni.createFrom().voidItem()
                : members.phoneTaken(client, tenantId, profile.phone(), exceptId).map(taken -> {
                    if (taken) {
                        throw ApiException.badInput("phone", "belongs to another member already");
                    }
                    return null;
                });
        return level.flatMap(a -> tags).flatMap(b -> phone);
    }

    /** card-service's refusal of one card, as the answer to the till. */
    static ApiException refusal(JsonNode item) {
        int status = item.path("status").asInt(StatusCode.BAD_REQUEST.code());
        return new ApiException(StatusCode.of(status), item.path("message").asText("the card cannot be issued"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

}
