package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Issue 12, item 7: what a shop's money operations get while its previous business day is not closed, as the tenant
 * chose (member-service's tenant.dayclose events) and as settlement-service reports the day (day.state events).
 * The day boundary is put between the shop's first sale and the next by the tenant's cut-off, to the second.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class UnclosedDayTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String KEY = "test-only-service-key";

    @BeforeEach
    void cards() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
    }

    private static void deliver(long tenant, String type, String payload) {
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("[{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":" + tenant + ",\"type\":\"" + type
                        + "\",\"aggregateId\":\"" + tenant + "\",\"occurredAt\":\"2026-12-01 10:00:00\",\"payload\":"
                        + payload + "}]")
                .post("/internal/service/events").then().statusCode(204);
    }

    /** Days of the tenant begin at {@code cutOff} (with seconds) in Shanghai, since always. */
    private static void settings(long tenant, LocalTime cutOff, String unclosedDay) {
        deliver(tenant, "tenant.dayclose", "{\"cutOffs\":[{\"from\":null,\"cutOff\":\"" + cutOff + "\",\"zone\":\""
                + ZONE.getId() + "\"}],\"unclosedDay\":\"" + unclosedDay + "\",\"decidedAt\":\"" + Instant.now()
                + "\"}");
    }

    private static void state(long tenant, long shop, LocalDate date, boolean closed, boolean allowed,
            long revision) {
        deliver(tenant, "day.state", "{\"shopId\":" + shop + ",\"date\":\"" + date + "\",\"closed\":" + closed
                + ",\"allowed\":" + allowed + ",\"revision\":" + revision + "}");
    }

    /**
     * A cut-off one second after the shop's last sale: that sale's business day is over, and it is the previous
     * one. Answers the previous day's date.
     */
    private static LocalDate newDayAfterLastSale(Till till, long tenant, LocalTime[] cutOff, String unclosedDay)
            throws InterruptedException {
        Instant sold = Instant.now();
        Instant boundary = sold.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(java.time.Duration.between(Instant.now(), boundary).toMillis() + 200);
        LocalTime at = boundary.atZone(ZONE).toLocalTime();
        cutOff[0] = at;
        settings(tenant, at, unclosedDay);
        return io.membercard.common.days.DaySettings.defaults(at, ZONE).holding(sold);
    }

    @Test
    void nothingChangesUntilTheTenantChoosesAndAWarningIsOnlyAWarning() throws Exception {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200).body("message", equalTo(""));
        LocalTime[] cutOff = new LocalTime[1];
        LocalDate previous = newDayAfterLastSale(till, till.tenant, cutOff, "none");
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().statusCode(200).body("status", equalTo(200))
                .body("message", equalTo(""));
        settings(till.tenant, cutOff[0], "warn");
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().statusCode(200).body("status", equalTo(200))
                .body("message", equalTo("shop 1 has not closed its business day " + previous + " yet"));
        // Another shop of the tenant has no earlier day, another tenant chose nothing.
        Till shop2 = new Till(till.tenant, 2);
        shop2.pay(card, "B-" + UUID.randomUUID(), "1").then().statusCode(200).body("message", equalTo(""));
        assertThat(till.balance(card)).isEqualByComparingTo("97.00");
    }

    @Test
    void blockRefusesACashierWith901UntilTheDayIsClosedOrAManagerAllowsIt() throws Exception {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        String paidBefore = "B-" + UUID.randomUUID();
        till.pay(card, paidBefore, "5").then().statusCode(200);
        LocalTime[] cutOff = new LocalTime[1];
        LocalDate previous = newDayAfterLastSale(till, till.tenant, cutOff, "block");

        // Refused, naming the day, and nothing moved: payments, refunds and recharges alike.
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().statusCode(200).body("status", equalTo(901))
                .body("message", startsWith("shop 1 has not closed its business day " + previous + " yet"));
        till.recharge(card, "10").then().body("status", equalTo(901));
        till.refund(card, paidBefore, "5", UUID.randomUUID().toString()).then().body("status", equalTo(901));
        assertThat(till.balance(card)).isEqualByComparingTo("95.00");
        // A till retrying the payment it made before answers what it got then, not 901.
        till.pay(card, paidBefore, "5").then().statusCode(200).body("status", equalTo(200))
                .header("Idempotent-Replayed", "true");
        // A manager at the till goes on, told.
        given().header("Authorization", till.manager).contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"money\":1,\"code\":\"M-"
                        + UUID.randomUUID() + "\"}")
                .post("/api/member/cardpay/pay").then().statusCode(200).body("status", equalTo(200))
                .body("message", startsWith("shop 1 has not closed its business day " + previous));
        assertThat(till.balance(card)).isEqualByComparingTo("94.00");

        // Closed: the cashier goes on without a word.
        state(till.tenant, till.shop, previous, true, false, 10);
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().body("status", equalTo(200)).body("message", equalTo(""));
        // Reopened: refused again; a late copy of the older state changes nothing.
        state(till.tenant, till.shop, previous, false, false, 11);
        state(till.tenant, till.shop, previous, true, false, 10);
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().body("status", equalTo(901));
        // A manager lets the shop trade on: the cashier goes on, told.
        state(till.tenant, till.shop, previous, false, true, 12);
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().body("status", equalTo(200))
                .body("message", startsWith("shop 1 has not closed its business day " + previous));
        assertThat(till.balance(card)).isEqualByComparingTo(new BigDecimal("92.00"));

        // Another tenant's state for the same shop and day opens nothing here.
        Till other = Till.newTenant();
        state(other.tenant, till.shop, previous, true, false, 99);
        state(till.tenant, till.shop, previous, false, false, 13);
        till.pay(card, "B-" + UUID.randomUUID(), "1").then().body("status", equalTo(901));

        // A card return pays money out at the till (card-service asks for it with the cashier's shop): refused the
        // same way, and a manager's goes on.
        String ret = "{\"operationId\":\"r-%s\",\"actor\":{\"tenantId\":" + till.tenant + ",\"shopId\":1,"
                + "\"userId\":\"u\",\"manager\":%s},\"cardId\":" + card.id() + ",\"cardCode\":\"" + card.code()
                + "\",\"paymentType\":1}";
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body(ret.formatted(UUID.randomUUID(), false))
                .post("/internal/service/accounts/return").then().body("status", equalTo(901));
        assertThat(till.balance(card)).isEqualByComparingTo(new BigDecimal("92.00"));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body(ret.formatted(UUID.randomUUID(), true))
                .post("/internal/service/accounts/return").then().body("status", equalTo(200))
                .body("message", startsWith("shop 1 has not closed its business day " + previous));
    }
}
