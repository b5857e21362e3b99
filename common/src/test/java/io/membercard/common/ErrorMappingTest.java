package io.membercard.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.TestKeys;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class ErrorMappingTest {
    private static final String CASHIER = Tokens.cashier(1, 10);

    private static io.restassured.response.ValidatableResponse echo(String json) {
        return given().header("Authorization", CASHIER).contentType(ContentType.JSON).body(json)
                .post("/probe/echo").then();
    }

    @Test
    void validBodyIsEchoedWithExactMoneyAndContractDates() {
        echo("{\"name\":\"a\",\"money\":12.5,\"count\":3,\"when\":\"2026-01-15 10:11:28\",\"userId\":99}")
                .statusCode(200)
                .body("status", equalTo(200))
                .body("message", equalTo(""))
                .body("data.money", equalTo(12.50f))
                .body("data.when", equalTo("2026-01-15 10:11:28"));
        given().header("Authorization", CASHIER).contentType(ContentType.JSON)
                .body("{\"name\":\"a\",\"money\":0.1}").post("/probe/echo")
                .then().body(containsString("\"money\":0.10"));
    }

    @Test
    void missingAndInvalidFieldsAreNamed() {
        echo("{\"money\":1}").statusCode(400).body("status", equalTo(400))
                .body("message", equalTo("name: must not be blank"));
        echo("{\"name\":\"too long name\",\"money\":1}").statusCode(400)
                .body("message", startsWith("name: size must be"));
        echo("{\"name\":\"a\"}").statusCode(400).body("message", equalTo("money: must not be null"));
        echo("{\"name\":\"a\",\"money\":1,\"items\":[{\"cardCode\":\"c\",\"money\":1.234}]}").statusCode(400)
                .body("message", startsWith("items[0].money: "));
    }

    @Test
    void moneyOutOfRangeIsRefused() {
        echo("{\"name\":\"a\",\"money\":1.234}").statusCode(400).body("message", startsWith("money: "));
        echo("{\"name\":\"a\",\"money\":-1}").statusCode(400).body("message", startsWith("money: "));
        echo("{\"name\":\"a\",\"money\":100000000}").statusCode(400).body("message", startsWith("money: "));
        echo("{\"name\":\"a\",\"money\":99999999.99}").statusCode(200);
    }

    @Test
    void wrongTypesAreNamed() {
        echo("{\"name\":\"a\",\"money\":1,\"count\":\"many\"}").statusCode(400)
                .body("message", equalTo("count: must be a whole number"));
        echo("{\"name\":\"a\",\"money\":1,\"count\":9.5}").statusCode(400)
                .body("message", startsWith("count: "));
        echo("{\"name\":\"a\",\"money\":\"lots\"}").statusCode(400).body("message", equalTo("money: must be a number"));
        echo("{\"name\":\"a\",\"money\":1,\"count\":500}").statusCode(400).body("message", startsWith("count: "));
        echo("{\"name\":\"a\",\"money\":1,\"when\":\"yesterday\"}").statusCode(400)
                .body("message", startsWith("when: "));
        echo("{\"name\":\"a\",\"money\":1,\"items\":{}}").statusCode(400).body("message", startsWith("items: "));
    }

    @Test
    void malformedAndMissingBodiesAreRefused() {
        echo("{\"name\":\"a\",").statusCode(400).body("message", startsWith("malformed JSON body"));
        echo("[1,2]").statusCode(400).body("status", equalTo(400));
        echo("").statusCode(400).body("message", equalTo("request body must not be null"));
        given().header("Authorization", CASHIER).contentType(ContentType.TEXT).body("name=a")
                .post("/probe/echo").then().statusCode(400).body("status", equalTo(400));
    }

    @Test
    void pagesAreBounded() {
        given().header("Authorization", CASHIER).get("/probe/page").then().statusCode(200)
                .body("pageIndex", equalTo(1)).body("pageSize", equalTo(20));
        given().header("Authorization", CASHIER).queryParam("pageSize", 501).get("/probe/page").then()
                .statusCode(400).body("message", startsWith("pageSize: "));
        given().header("Authorization", CASHIER).queryParam("pageIndex", 0).get("/probe/page").then()
                .statusCode(400).body("message", startsWith("pageIndex: "));
        given().header("Authorization", CASHIER).queryParam("pageIndex", "x").get("/probe/page").then()
                .statusCode(400).body("message", equalTo("pageIndex: must be a whole number"));
    }

    @Test
    void businessRefusalsTravelWithHttp200() {
        given().header("Authorization", CASHIER).queryParam("kind", "business").get("/probe/fail").then()
                .statusCode(200).body("status", equalTo(605)).body("message", equalTo("balance 1.00 is below 2.00"));
        given().header("Authorization", CASHIER).queryParam("kind", "missing").get("/probe/fail").then()
                .statusCode(404).body("status", equalTo(404));
    }

    @Test
    void internalErrorsShowNoDetailAndNoStackTrace() {
        given().header("Authorization", CASHIER).get("/probe/fail").then()
                .statusCode(500).body("status", equalTo(500))
                .body("message", startsWith("internal error, reference "))
                .body(not(containsString("secret internal detail")))
                .body(not(containsString("at io.")));
    }

    @Test
    void unknownPathsAnswer404InTheEnvelope() {
        given().header("Authorization", CASHIER).get("/probe/nothing-here").then()
                .statusCode(404).body("status", equalTo(404));
    }

    @Test
    void missingOrBadTokensAre401() {
        given().get("/probe/whoami").then().statusCode(401).body("status", equalTo(401));
        given().header("Authorization", "Bearer not-a-jwt").get("/probe/whoami").then()
                .statusCode(401).body("status", equalTo(401));
        given().header("Authorization", Tokens.tenant(1, "cashier").shop(1).expired().bearer())
                .get("/probe/whoami").then().statusCode(401);
        given().header("Authorization", Tokens.tenant(1, "cashier").shop(1).signedBy(TestKeys.untrustedKey()).bearer())
                .get("/probe/whoami").then().statusCode(401);
        given().header("Authorization", Tokens.tenant(1, "cashier").shop(1).issuer("someone-else").bearer())
                .get("/probe/whoami").then().statusCode(401);
    }

    @Test
    void wrongRoleIs403() {
        given().header("Authorization", CASHIER).get("/probe/manager-only").then()
                .statusCode(403).body("status", equalTo(403));
        given().header("Authorization", Tokens.tenant(1).bearer()).get("/probe/whoami").then()
                .statusCode(403).body("status", equalTo(403));
    }
}
