package io.membercard.card;

import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writtenCard;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class CardResourceTest {
    private static final String GET = "/api/member/membercard/get";

    private final CircuitBreakerMaintenance breakers;

    CardResourceTest(CircuitBreakerMaintenance breakers) {
        this.breakers = breakers;
    }

    static WireMock wiremock() {
        return new WireMock("127.0.0.1",
                ConfigProvider.getConfig().getValue("membercard.test.wiremock-port", Integer.class));
    }

    private static ValidatableResponse read(String token, String code, String mac) {
        return given().header("Authorization", token).queryParam("cardCode", code).queryParam("mac", mac).get(GET)
                .then();
    }

    @Test
    void aWrittenCardIsReadWithItsMacAndShowsZeroFiguresUntilItHasAnAccount() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 4, "C0001", "right-mac");
        read(cashier(tenant, 9), code, "right-mac").statusCode(200)
                .body("code", equalTo("C0001"))
                .body("status", equalTo(2))
                .body("statusName", equalTo("正常"))
                .body("cardSendMode", equalTo(1))
                .body("shopId", equalTo(4))
                .body("shopName", equalTo("Shop 4"))
                .body("memberCardClassName", equalTo("Gold"))
                .body("effectiveTime", matchesPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"))
                .body("balance", equalTo(0.0f))
                .body("totalRecharge", equalTo(0.0f))
                .body("giveBalance", equalTo(0.0f))
                .body("totalPoints", equalTo(0))
                .body("pointsDisabledDate", nullValue())
                .body("mac", equalTo(""))
                .body("password", equalTo(""));
    }

    @Test
    void theCardShowsItsAccountAsPaymentServiceKeepsIt() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 4, "F0001", "right-mac");
        long cardId = given().header("Authorization", cashier(tenant, 4)).queryParam("cardCode", code)
                .queryParam("mac", "right-mac").get(GET).then().extract().jsonPath().getLong("id");
        wiremock().register(WireMock.get(WireMock.urlPathEqualTo("/internal/accounts/by-card"))
                .withQueryParam("cardId", WireMock.equalTo(Long.toString(cardId)))
                .atPriority(1)
                .willReturn(WireMock.okJson("{\"totalRecharge\":120.00,"
                        + "\"actualRecharge\":100.00,\"giveRecharge\":20.00,\"totalExpense\":30.50,"
                        + "\"actualExpense\":25.42,\"giveExpense\":5.08,\"balance\":89.50,\"actualBalance\":74.58,"
                        + "\"giveBalance\":14.92,\"totalPoints\":3,\"actualPoints\":2,\"usedPoints\":1,"
                        + "\"pointsDisabledDate\":\"2027-11-23 10:00:00\",\"timestamp\":\"4\"}")));
        read(cashier(tenant, 4), code, "right-mac").statusCode(200)
                .body("balance", equalTo(89.50f)).body("actualBalance", equalTo(74.58f))
                .body("giveBalance", equalTo(14.92f)).body("totalRecharge", equalTo(120.0f))
                .body("totalExpense", equalTo(30.50f)).body("totalPoints", equalTo(3))
                .body("actualPoints", equalTo(2)).body("usedPoints", equalTo(1))
                .body("pointsDisabledDate", equalTo("2027-11-23 10:00:00"));
    }

    @Test
    void whenPaymentServiceFailsTheReadFailsClearly() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 4, "E0001", "right-mac");
        var failing = wiremock().register(WireMock.get(WireMock.urlPathEqualTo("/internal/accounts/by-card"))
                .atPriority(0).willReturn(WireMock.serverError()));
        try {
            read(cashier(tenant, 4), code, "right-mac").statusCode(500).body("status", equalTo(500))
                    .body("message", equalTo("the balance service is unavailable; try again"));
        } finally {
            // Only this test's stub goes: the others (events, limits, other tests' figures) stay.
            wiremock().removeStubMapping(failing);
            breakers.resetAll();
        }
    }

    @Test
    void unknownCardsWrongMacsUnwrittenCardsAndOtherTenantsAllAnswer602() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "D0001", "right-mac");
        String token = cashier(tenant, 1);
        read(token, code, "wrong-mac").statusCode(200).body("status", equalTo(602));
        read(token, "NOPE", "right-mac").statusCode(200).body("status", equalTo(602));
        long cardClass = createCardClass(tenant, "Silver");
        createOrder(tenant, 1, cardClass, "U01", 1);
        read(token, "U01", "anything").statusCode(200).body("status", equalTo(602));
        long other = newTenant();
        read(cashier(other, 1), code, "right-mac").statusCode(200).body("status", equalTo(602))
                .body("message", equalTo("card not found, or its card secret does not match"));
    }

    @Test
    void repeatedWrongMacsLockTheCard() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "L0001", "right-mac");
        String token = cashier(tenant, 1);
        for (int i = 0; i < 4; i++) {
            read(token, code, "guess-" + i).body("status", equalTo(602));
        }
        read(token, code, "right-mac").statusCode(200).body("code", equalTo(code));
        for (int i = 0; i < 5; i++) {
            read(token, code, "guess-" + i).body("status", equalTo(602));
        }
        read(token, code, "right-mac").statusCode(200).body("status", equalTo(601));
    }

    @Test
    void missingParametersAndWrongRolesAreRefused() {
        long tenant = newTenant();
        given().header("Authorization", manager(tenant)).queryParam("mac", "m").get(GET).then()
                .statusCode(400).body("message", equalTo("cardCode: is required"));
        given().header("Authorization", manager(tenant)).queryParam("cardCode", "C").get(GET).then()
                .statusCode(400).body("message", equalTo("mac: is required"));
        given().header("Authorization", manager(tenant)).queryParam("cardCode", "C".repeat(33)).queryParam("mac", "m")
                .get(GET).then().statusCode(400).body("message", equalTo("cardCode: must be at most 32 characters"));
        given().queryParam("cardCode", "C").queryParam("mac", "m").get(GET).then().statusCode(401);
        given().header("Authorization", Tokens.tenant(tenant, "platform-admin").bearer()).queryParam("cardCode", "C")
                .queryParam("mac", "m").get(GET).then().statusCode(403);
    }
}
