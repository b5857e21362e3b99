package io.membercard.common.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Issue 10, item 4: only the paths that take files take large bodies. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class BodyLimitTest {

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String big = "{\"name\":\"x\",\"money\":1,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().header("Authorization", Tokens.cashier(1, 1)).contentType(ContentType.JSON).body(big)
                .post("/probe/echo").then().statusCode(413).body("status", equalTo(413))
                .body("message", startsWith("the request body is larger than 1024 KB"));
        // Without a token too: the limit comes first.
        given().contentType(ContentType.JSON).body(big).post("/probe/echo").then().statusCode(413);
        // A body within the limit goes on to the endpoint.
        given().header("Authorization", Tokens.cashier(1, 1)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"money\":1,\"pad\":\"" + "x".repeat(512 * 1024) + "\"}")
                .post("/probe/echo").then().statusCode(200);
    }
}
