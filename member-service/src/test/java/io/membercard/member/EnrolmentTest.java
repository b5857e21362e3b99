package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;

/** card-service's bulk enrolment (partner issuing): rows checked, enrolled, and found again when repeated. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class EnrolmentTest {
    private final CircuitBreakerMaintenance breakers;
    private final Pool pool;

    EnrolmentTest(CircuitBreakerMaintenance breakers, Pool pool) {
        this.breakers = breakers;
        this.pool = pool;
    }

    @BeforeEach
    void answers() {
        OtherServices.reset();
        breakers.resetAll();
        OtherServices.wiremock().register(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/internal/service/accounts/openings"))
                .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"status\":200,\"message\":\"\",\"data\":[]}")));
    }

    static ValidatableResponse enrol(String json) {
        return given().header("X-Service-Key", "test-only-service-key").contentType(ContentType.JSON).body(json)
                .post("/internal/service/enrolments").then();
    }

    @Test
    void rowsAreCheckedEnrolledAndFoundAgain() {
        Members t = new Members();
        t.save("memberlevel", "{\"name\":\"Gold\",\"level\":1,\"discount\":9}");
        String phone = Members.phone();
        String body = "{\"tenantId\":" + t.tenant + ",\"shopId\":6,\"shopName\":\"Mall\",\"cardClassId\":2,"
                + "\"userId\":\"partner:P1\",\"userName\":\"kiosk\",\"rows\":["
                + "{\"sourceKey\":\"partner:P1:100101\",\"name\":\"西瓜\",\"phone\":\"" + phone + "\",\"sex\":1,"
                + "\"birthday\":\"19940103\",\"levelRank\":1,\"cardCode\":\"100101\",\"mac\":\"123456\","
                + "\"sendMode\":3,\"actual\":100.88,\"points\":200},"
                + "{\"sourceKey\":\"partner:P1:100102\",\"name\":\"A\",\"phone\":\"123\",\"cardCode\":\"100102\"},"
                + "{\"sourceKey\":\"partner:P1:100103\",\"name\":\"B\",\"phone\":\"" + Members.phone()
                + "\",\"levelRank\":9,\"cardCode\":\"100103\"}]}";
        enrol(body).statusCode(200).body("data[0].outcome", equalTo("CREATED"))
                .body("data[0].cardCode", equalTo("100101")).body("data[1].outcome", equalTo("REJECTED"))
                .body("data[1].reason", startsWith("phone: ")).body("data[2].reason", startsWith("level: "));
        enrol(body).statusCode(200).body("data[0].outcome", equalTo("EXISTING"));
        t.get(t.manager, "/api/member/member/getlist?shopId=6").body("totalCount", equalTo(1))
                .body("data[0].memberLevelName", equalTo("Gold")).body("data[0].birthday",
                        equalTo("1994-01-03 00:00:00"));
        enrol("{\"tenantId\":" + t.tenant + ",\"shopId\":6,\"cardClassId\":2,\"userId\":\"u\",\"rows\":[]}")
                .statusCode(400).body("message", equalTo("rows: must not be empty"));
        given().contentType(ContentType.JSON).body(body).post("/internal/service/enrolments").then().statusCode(401);
    }

    @Test
    void aPartnersCardSecretIsPassedOnToCardServiceAndNeverKept() {
        Members t = new Members();
        String mac = "PARTNERMAC-" + t.tenant;
        String hashed = ImportTest.hash(t.tenant, "PARTNERMAC2-" + t.tenant);
        enrol("{\"tenantId\":" + t.tenant + ",\"shopId\":6,\"cardClassId\":2,\"userId\":\"partner:P2\",\"rows\":["
                + "{\"sourceKey\":\"partner:P2:1\",\"name\":\"A\",\"phone\":\"" + Members.phone()
                + "\",\"cardCode\":\"P2" + t.tenant + "1\",\"mac\":\"" + mac + "\"},"
                + "{\"sourceKey\":\"partner:P2:2\",\"name\":\"B\",\"phone\":\"" + Members.phone()
                + "\",\"cardCode\":\"P2" + t.tenant + "2\",\"macHashes\":[\"" + hashed + "\"]},"
                + "{\"sourceKey\":\"partner:P2:3\",\"name\":\"C\",\"phone\":\"" + Members.phone()
                + "\",\"cardCode\":\"P2" + t.tenant + "3\",\"macHashes\":[\"not a hash\"]}]}")
                .statusCode(200).body("data[0].outcome", equalTo("CREATED")).body("data[1].outcome", equalTo("CREATED"))
                .body("data[2].outcome", equalTo("REJECTED")).body("data[2].reason", startsWith("macHashes: "));
        String issue = OtherServices.wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/cards/issue")))
                .stream().map(r -> r.getBodyAsString()).filter(b -> b.contains("\"tenantId\":" + t.tenant))
                .findFirst().orElseThrow();
        assertThat(issue).contains("\"mac\":\"" + mac + "\"", "\"macHashes\":[\"" + hashed + "\"]");
        Stored.assertNowhere(pool, mac);
    }
}
