package io.membercard.card.partner;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.card.card.CardSendMode;
import io.membercard.card.issue.IssueRequest;
import io.membercard.card.issue.IssueService;
import io.membercard.card.issue.IssuedCard;
import io.membercard.card.lifecycle.PaymentAccounts;
import io.membercard.common.api.ApiException;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.logging.LogText;
import io.membercard.common.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The open protocol of seed 003: partners issue cards in bulk ({@code mb_newcard}). A request is trusted only when
 * its {@code get} group is signed with the partner's secret, its {@code timestamp} is within five minutes, its
 * {@code nonce} was not seen before, and {@code get.post_sha256} is the SHA-256 of the {@code post} group exactly as
 * sent (required: every action creates cards and money, so the signature must cover what it creates).
 * <p>
 * The signed text is unambiguous: {@code get}'s entries but {@code sign}, sorted by name, each as {@code k=v} with
 * {@code %}, {@code &} and {@code =} in names and values written as {@code %25}, {@code %26} and {@code %3D}, joined
 * by {@code &}; so no entry can be folded into another's value. A body that repeats a key anywhere is refused, and
 * the cards are read from the very text that was hashed. Each listed card with a member becomes a card, a member
 * and an opening balance through member-service (idempotent by partner and card number); type 15 makes
 * {@code count} cards without members, with generated numbers (with the item's password when it makes one; several
 * are left to be written one by one, as card secrets are unique). The cards a request would newly issue count against
 * the tenant's partner cards a day ({@link PartnerQuota}): over it, nothing is issued and the answer says so.
 * <p>
 * A partner is told what it needs and nothing more: an unknown partner and a wrong signature get the same answer,
 * a card its merchant's records refuse is "not issued" without the reason (the merchant's log has it), and an
 * internal error is a reference to the log, never its text.
 */
@ApplicationScoped
public class OpenGatewayService {
    static final long MAX_SKEW_SECONDS = 300;
    static final int MAX_CARDS = 500;
    private static final Logger LOG = Logger.getLogger(OpenGatewayService.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final PartnerService partners;
    private final PartnerSecrets secrets;
    private final MemberEnrolments enrolments;
    private final IssueService issue;
    private final PaymentAccounts payments;
    private final PartnerQuota quota;
    private final ObjectMapper mapper;
    private final Pool pool;
    private final ZoneId zone;
    private final ObjectReader strict;

    /** Signs for an unknown partner, so that its refusal takes as long as a known one's. */
    private static final String UNKNOWN_PARTNER_SECRET = "0".repeat(64);

    public OpenGatewayService(PartnerService partners, PartnerSecrets secrets, MemberEnrolments enrolments,
            IssueService issue, PaymentAccounts payments, PartnerQuota quota, ObjectMapper mapper, Pool pool,
            CommonConfig config) {
        this.partners = partners;
        this.quota = quota;
        this.secrets = secrets;
        this.enrolments = enrolments;
        this.issue = issue;
        this.payments = payments;
        this.mapper = mapper;
        this.pool = pool;
        this.zone = ZoneId.of(config.timeZone());
        this.strict = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** A refusal of the protocol: answered with status "0" and this reason. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What refuses a partner whose appid is unknown or disabled, or whose signature does not match: one answer. */
    public static final String NOT_SIGNED = "the signature does not match (get.sign), or get.appid names no partner";

    /** A card the merchant's records refuse: the partner is not told why. */
    public static final String NOT_ISSUED = "not issued: the merchant's records refuse this card or its member; the "
            + "merchant can see why";

    /** Answers a request body; every refusal becomes status "0" with its reason. */
    public Uni<OpenAnswer> handle(String body) {
        JsonNode root;
        try {
            root = strict.readTree(body == null ? "" : body);
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            return Uni.createFrom().item(refusal(e.getMessage() != null && e.getMessage().startsWith("Duplicate")
                    ? "the request repeats a key: every key appears once"
                    : "malformed JSON", null));
        } catch (Exception e) {
            return Uni.createFrom().item(refusal("malformed JSON", null));
        }
        if (root == null || !root.isObject()) {
            return Uni.createFrom().item(refusal("the request must be a JSON object", null));
        }
        JsonNode get = root.path("get");
        String appid = get.path("appid").asText("");
        return partners.find(appid.length() > 32 ? "" : appid).flatMap(partner -> {
            JsonNode post;
            try {
                post = verify(partner, get, body);
            } catch (Refused e) {
                LOG.warnf("open gateway: request of appid \"%s\" refused: %s", LogText.bounded(appid, 32),
                        e.getMessage());
                return Uni.createFrom().item(refusal(e.getMessage(), null));
            }
            String action = root.path("action").path("action").asText("");
            if (!"mb_newcard".equals(action)) {
                return Uni.createFrom().item(refusal("unknown action \"" + LogText.bounded(action, 32) + "\"",
                        partner));
            }
            return nonce(partner, get.path("nonce").asText()).flatMap(fresh -> fresh
                    ? newCards(partner, get, post)
                    : Uni.createFrom().item(refusal("this request was sent before (nonce)", partner)));
        }).onFailure().recoverWithItem(e -> {
            if (e instanceof Refused) {
                return refusal(e.getMessage(), null);
            }
            String reference = java.util.UUID.randomUUID().toString();
            LOG.errorf(e, "open gateway: request of appid \"%s\" failed (reference %s)", LogText.bounded(appid, 32),
                    reference);
            return refusal("the cards could not be issued now (reference " + reference + "); send the request "
                    + "again with a new nonce: cards issued already are not issued twice", null);
        });
    }

    /**
     * The partner, the signature, the timestamp and the post digest; answers the {@code post} group read from the
     * text its digest covers. Throws {@link Refused}.
     */
    JsonNode verify(Partner partner, JsonNode get, String body) {
        String sign = get.path("sign").asText(null);
        String text = canonical(get);
        // An unknown partner costs the same HMAC as a known one and gets the same answer.
        String secret = UNKNOWN_PARTNER_SECRET;
        if (partner != null && !partner.disabled()) {
            try {
                secret = secrets.open(partner.sealedSecret());
            } catch (IllegalStateException e) {
                // Its key is gone: the operator's problem, answered like any request that is not signed.
                LOG.errorf("open gateway: partner %s: %s", partner.id(), e.getMessage());
                throw new Refused(NOT_SIGNED);
            }
        }
        String expected = PartnerSecrets.sign(secret, text);
        boolean matches = PartnerSecrets.same(expected, sign);
        if (partner == null || partner.disabled() || !matches) {
            throw new Refused(NOT_SIGNED);
        }
        long timestamp = get.path("timestamp").asLong(0);
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > MAX_SKEW_SECONDS) {
            throw new Refused("the timestamp is not within five minutes of now (get.timestamp)");
        }
        String nonce = get.path("nonce").asText("");
        if (!nonce.matches("[A-Za-z0-9_-]{8,64}")) {
            throw new Refused("get.nonce must be 8 to 64 letters, digits, - or _");
        }
        JsonNode digest = get.path("post_sha256");
        if (!digest.isTextual()) {
            throw new Refused("get.post_sha256 is required: the SHA-256 (hex) of the post group as sent, so that "
                    + "the signature covers the cards");
        }
        String post = rawPost(body);
        if (post.isEmpty() || !PartnerSecrets.same(IdempotencyKey.hashText(post), digest.asText())) {
            throw new Refused("the post group does not match get.post_sha256");
        }
        try {
            return strict.readTree(post);
        } catch (Exception e) {
            throw new Refused("the post group is not a JSON object");
        }
    }

    /**
     * The text a partner signs: {@code get}'s entries but {@code sign}, sorted by name, as {@code k=v} joined by
     * {@code &}, with {@code %}, {@code &} and {@code =} in names and values escaped ({@code %25}, {@code %26},
     * {@code %3D}) so that one text names one set of entries.
     */
    public static String canonical(JsonNode get) {
        Map<String, String> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = get.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!"sign".equals(entry.getKey())) {
                JsonNode value = entry.getValue();
                if (!value.isTextual() && !value.isNumber()) {
                    // null and "null", an object and its text, would sign alike.
                    throw new Refused("get." + LogText.bounded(entry.getKey(), 32) + " must be a string or a number");
                }
                entries.put(entry.getKey(), value.asText());
            }
        }
        StringBuilder text = new StringBuilder();
        entries.forEach((k, v) -> text.append(text.length() == 0 ? "" : "&").append(escape(k)).append('=')
                .append(escape(v)));
        return text.toString();
    }

    private static String escape(String text) {
        return text.replace("%", "%25").replace("&", "%26").replace("=", "%3D");
    }

    /** The {@code post} group's text exactly as the request carried it. */
    static String rawPost(String body) {
        try (JsonParser parser = new JsonFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                long start = parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                long end = parser.currentLocation().getCharOffset();
                if ("post".equals(name)) {
                    return body.substring((int) start, (int) end);
                }
                if (value == null) {
                    break;
                }
            }
        } catch (Exception e) {
            return "";
        }
        return "";
    }

    /** Records the nonce for its partner; answers false when it was seen before. */
    private Uni<Boolean> nonce(Partner partner, String nonce) {
        Uni<Void> sweep = ThreadLocalRandom.current().nextInt(100) == 0
                ? pool.query("delete from partner_nonce where expires_at < now()").execute().replaceWithVoid()
                : Uni.createFrom().voidItem();
        return sweep.flatMap(ignored -> pool.preparedQuery("""
                insert into partner_nonce (partner_id, nonce, expires_at)
                values ($1, $2, now() + make_interval(secs => $3)) on conflict do nothing""")
                .execute(Tuple.of(partner.id(), nonce, (double) (2 * MAX_SKEW_SECONDS))))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<OpenAnswer> newCards(Partner partner, JsonNode get, JsonNode post) {
        JsonNode list = post.path("list");
        if (!list.isArray() || list.isEmpty()) {
            return Uni.createFrom().item(refusal("post.list must list the cards", partner));
        }
        if (list.size() > MAX_CARDS) {
            return Uni.createFrom().item(refusal("post.list may list " + MAX_CARDS + " cards at most", partner));
        }
        String operator = get.path("op").asText(partner.name());
        List<String> problems = new ArrayList<>();
        ArrayNode rows = mapper.createArrayNode();
        List<JsonNode> members = new ArrayList<>();
        List<JsonNode> generated = new ArrayList<>();
        java.util.Set<String> batches = new java.util.HashSet<>();
        int index = 0;
        for (JsonNode item : list) {
            index++;
            try {
                if (item.path("type").asInt(2) == 15) {
                    batchOf(item);
                    if (!batches.add(text(item, "extid"))) {
                        throw new Refused("extid " + text(item, "extid") + " is listed twice");
                    }
                    generated.add(item);
                } else {
                    rows.add(row(partner, item));
                    members.add(item);
                }
            } catch (Refused e) {
                problems.add("card " + index + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return Uni.createFrom().item(refusal(String.join("; ", problems) + "; no card was issued", partner));
        }
        List<String> keys = new ArrayList<>();
        rows.forEach(row -> keys.add(row.path("sourceKey").asText()));
        for (JsonNode item : generated) {
            for (int i = 1; i <= batchOf(item); i++) {
                keys.add(batchCardKey(partner, text(item, "extid"), i));
            }
        }
        // The day's partner cards are taken before anything is issued, and what was not issued is given back.
        return quota.take(partner.tenantId(), keys).onItemOrFailure().transformToUni((counted, failure) -> {
            if (failure instanceof ApiException refused) {
                // Over the tenant's partner cards a day, or they cannot be counted now: nothing is issued.
                return Uni.createFrom().item(refusal(refused.getMessage(), partner));
            }
            if (failure != null) {
                return Uni.createFrom().<OpenAnswer>failure(failure);
            }
            return issue(partner, operator, rows, members, generated).onTermination()
                    .call(() -> quota.settle(counted));
        });
    }

    /** The cards with members through member-service, then the batches of cards without. */
    private Uni<OpenAnswer> issue(Partner partner, String operator, ArrayNode rows, List<JsonNode> members,
            List<JsonNode> generated) {
        return enrol(partner, operator, rows, members).flatMap(issued -> generate(partner, operator,
                generated).map(more -> {
                    List<OpenAnswer.Card> cards = new ArrayList<>(issued.cards());
                    cards.addAll(more);
                    List<String> failures = issued.failures();
                    LOG.infof("open gateway: partner %s issued %d cards (%d refused)", partner.id(), cards.size(),
                            failures.size());
                    String type = generated.isEmpty() ? "2" : members.isEmpty() ? "15" : "2";
                    return failures.isEmpty()
                            ? answer("1", "发卡成功", type, cards, partner)
                            : answer("0", String.join("; ", failures), type, cards, partner);
                }));
    }

    /** A card with a member, as a row of member-service's enrolment. */
    private ObjectNode row(Partner partner, JsonNode item) {
        String cardno = text(item, "cardno");
        if (cardno == null || !cardno.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new Refused("cardno is required: at most 32 letters and digits");
        }
        String password = text(item, "password");
        if (password == null || password.length() > 64) {
            throw new Refused("password is required (at most 64 characters)");
        }
        ObjectNode row = mapper.createObjectNode().put("sourceKey", "partner:" + partner.id() + ":" + cardno)
                .put("cardCode", cardno).put("mac", password).put("name", text(item, "name"))
                .put("phone", text(item, "phone")).put("birthday", text(item, "birthday"))
                .put("idCard", text(item, "idnumber")).put("actual", money(item, "balance"))
                .put("points", points(item));
        if (item.has("sex")) {
            row.put("sex", item.path("sex").asInt(2));
        }
        if (item.has("level")) {
            row.put("levelRank", item.path("level").asInt());
        }
        Long expires = expiry(item);
        if (expires != null) {
            row.put("expiresAt", expires);
        }
        return row;
    }

    /** What member-service answered: the cards issued, and the rows refused. */
    private record Enrolled(List<OpenAnswer.Card> cards, List<String> failures) {
    }

    private Uni<Enrolled> enrol(Partner partner, String operator, ArrayNode rows, List<JsonNode> items) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Enrolled(List.of(), List.of()));
        }
        ObjectNode request = mapper.createObjectNode().put("tenantId", partner.tenantId())
                .put("shopId", partner.shopId()).put("shopName", partner.shopName())
                .put("cardClassId", partner.cardClassId()).put("userId", "partner:" + partner.id())
                .put("userName", operator.length() > 64 ? operator.substring(0, 64) : operator);
        request.set("rows", rows);
        return enrolments.enrol(request).map(answer -> {
            if (!answer.done()) {
                throw new IllegalStateException(answer.message());
            }
            List<OpenAnswer.Card> cards = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                JsonNode result = answer.data().path(i);
                JsonNode item = items.get(i);
                if ("REJECTED".equals(result.path("outcome").asText())) {
                    // The reason may say what the merchant's records hold (a phone that is a member's already, a
                    // card secret in use): the merchant reads it in the log, the partner is told only "not issued".
                    LOG.infof("open gateway: tenant %d partner %s: card %s not issued: %s", partner.tenantId(),
                            partner.id(), LogText.bounded(text(item, "cardno"), 32),
                            LogText.bounded(result.path("reason").asText(), 200));
                    failures.add("card " + text(item, "cardno") + ": " + NOT_ISSUED);
                } else {
                    cards.add(new OpenAnswer.Card(result.path("memberId").asLong(), result.path("cardCode").asText(),
                            result.path("cardCode").asText(), "", text(item, "extid"), money(item, "balance")
                                    .toPlainString()));
                }
            }
            return new Enrolled(cards, failures);
        });
    }

    /** Type 15: {@code count} cards without members, numbers made up, each with the item's password and money. */
    private Uni<List<OpenAnswer.Card>> generate(Partner partner, String operator, List<JsonNode> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<IssueRequest.Item> cards = new ArrayList<>();
        List<JsonNode> source = new ArrayList<>();
        for (JsonNode item : items) {
            int count = batchOf(item);
            String password = text(item, "password");
            String batch = text(item, "extid");
            for (int i = 1; i <= count; i++) {
                cards.add(new IssueRequest.Item(batchCardKey(partner, batch, i), null, null,
                        password, CardSendMode.OFFLINE_BATCH.code(), null, true, expiry(item)));
                source.add(item);
            }
        }
        if (cards.size() > IssueRequest.MAX_ITEMS) {
            throw new Refused("at most " + IssueRequest.MAX_ITEMS + " cards a request");
        }
        return issue.issue(new IssueRequest(partner.tenantId(), partner.shopId(), partner.shopName(),
                partner.cardClassId(), "partner:" + partner.id(), operator, cards)).flatMap(issued -> {
                    ObjectNode request = mapper.createObjectNode();
                    request.putObject("actor").put("tenantId", partner.tenantId()).put("shopId", partner.shopId())
                            .put("userId", "partner:" + partner.id()).put("userName", operator);
                    ArrayNode openings = request.putArray("items");
                    List<OpenAnswer.Card> answer = new ArrayList<>();
                    for (int i = 0; i < issued.size(); i++) {
                        IssuedCard card = issued.get(i);
                        if (card.card() == null) {
                            LOG.infof("open gateway: tenant %d partner %s: batch card %s not issued: %s",
                                    partner.tenantId(), partner.id(), LogText.bounded(card.key(), 100),
                                    LogText.bounded(card.message(), 200));
                            throw new Refused("batch " + text(source.get(i), "extid") + ": " + NOT_ISSUED);
                        }
                        JsonNode item = source.get(i);
                        BigDecimal balance = money(item, "balance");
                        if (balance.signum() > 0 || points(item) > 0) {
                            openings.addObject().put("cardId", card.card().id()).put("cardCode", card.card().code())
                                    .put("actual", balance).put("points", points(item))
                                    .put("pointsValidDays", card.card().pointsValidDays())
                                    .put("billNo", card.key().length() > 64 ? card.key().substring(0, 64) : card.key());
                        }
                        answer.add(new OpenAnswer.Card(card.card().id(), card.card().code(), card.card().code(), "",
                                text(item, "extid"), balance.toPlainString()));
                    }
                    if (openings.isEmpty()) {
                        return Uni.createFrom().item(answer);
                    }
                    return payments.openings(request).map(opened -> {
                        if (!opened.done()) {
                            throw new IllegalStateException(opened.message());
                        }
                        return answer;
                    });
                });
    }

    /** The key of the {@code i}-th card (from 1) of a partner's type 15 batch: a resend finds the card by it. */
    private static String batchCardKey(Partner partner, String batch, int i) {
        return "partner:" + partner.id() + ":" + batch + ":" + i;
    }

    /**
     * A type 15 item's count, checked: its cards cannot share a password (card secrets are unique), and its extid
     * names the batch, so that a resend (with a new nonce) finds the cards made the first time.
     */
    private static int batchOf(JsonNode item) {
        String extid = text(item, "extid");
        if (extid == null || !extid.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new Refused("type 15 needs extid (the batch's number, at most 32 letters and digits): a resend "
                    + "with the same extid makes no new cards");
        }
        int count = item.path("count").asInt(1);
        if (count < 1 || count > MAX_CARDS) {
            throw new Refused("type 15 needs count, 1 to " + MAX_CARDS);
        }
        if (count > 1 && text(item, "password") != null) {
            throw new Refused("type 15 cards cannot share one password: send count 1 with a password, or no "
                    + "password and write each card (rewrite) as it is handed out");
        }
        return count;
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        String text = value.isNumber() ? value.decimalValue().toPlainString() : value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static BigDecimal money(JsonNode item, String field) {
        JsonNode value = item.path(field);
        if (value.isMissingNode() || value.isNull() || value.asText().isBlank()) {
            return Money.ZERO;
        }
        try {
            return Money.of(field, new BigDecimal(value.asText()));
        } catch (RuntimeException e) {
            throw new Refused(field + " must be an amount with at most 2 decimals");
        }
    }

    private static long points(JsonNode item) {
        JsonNode value = item.path("points");
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong() || value.asLong() < 0) {
            throw new Refused("points must be a whole number, 0 or more");
        }
        return value.asLong();
    }

    /** The card's validity (expirydate, yyyyMMdd) as the end of that day, in epoch milliseconds. */
    private Long expiry(JsonNode item) {
        String day = text(item, "expirydate");
        if (day == null) {
            return null;
        }
        try {
            return LocalDate.parse(day, DAY).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new Refused("expirydate must be a date as yyyyMMdd");
        }
    }

    private OpenAnswer refusal(String reason, Partner partner) {
        return answer("0", reason, null, null, partner);
    }

    private OpenAnswer answer(String status, String info, String type, List<OpenAnswer.Card> list, Partner partner) {
        Instant now = Instant.now();
        return new OpenAnswer(status, info, type, list, now.getEpochSecond(), TIME.format(now.atZone(zone)),
                "membercard", partner == null ? null : Long.toString(partner.shopId()));
    }
}
