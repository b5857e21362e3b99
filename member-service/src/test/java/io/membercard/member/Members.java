package io.membercard.member;

import static io.restassured.RestAssured.given;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.membercard.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** A tenant's tills and back office calling member-service, and the events other services send it. */
public final class Members {
    public final long tenant;
    public final String manager;
    public final String cashier;

    public Members() {
        this.tenant = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
        this.manager = Tokens.manager(tenant);
        this.cashier = Tokens.cashier(tenant, 1);
    }

    /** A phone number nobody else uses. */
    public static String phone() {
        return "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    public ValidatableResponse post(String token, String path, String json) {
        var request = given().contentType(ContentType.JSON).body(json);
        if (token != null) {
            request.header("Authorization", token);
        }
        return request.post(path).then();
    }

    /** A member on a virtual card of class 1; answers its id. */
    public long create(String name, String phone) {
        return post(cashier, "/api/member/member/create", "{\"name\":\"" + name + "\",\"phone\":\"" + phone
                + "\",\"cardSendMode\":4,\"cardClassId\":1}").statusCode(200).extract().jsonPath().getLong("data");
    }

    public ValidatableResponse get(String token, String path) {
        return given().header("Authorization", token).get(path).then();
    }

    public long save(String list, String json) {
        return post(manager, "/api/member/" + list + "/save", json).statusCode(200).extract().jsonPath()
                .getLong("data");
    }

    /** Delivers one event as payment-service or card-service would. */
    public void event(String type, String payload) {
        given().header("X-Service-Key", "test-only-service-key").contentType(ContentType.JSON)
                .body("[{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":" + tenant + ",\"type\":\"" + type
                        + "\",\"aggregateId\":\"1\",\"occurredAt\":\"2026-11-23 10:00:00\",\"payload\":" + payload
                        + "}]")
                .post("/internal/service/events").then().statusCode(204);
    }

    /** payment-service's account.changed for a card: balance {@code actual} + {@code give}, at {@code version}. */
    public void account(long cardId, long version, String actual, String give, long points, Long previousCardId) {
        event("account.changed", "{\"accountId\":" + cardId + ",\"cardId\":" + cardId + ",\"cardCode\":\"C" + cardId
                + "\",\"version\":" + version + ",\"actualBalance\":" + actual + ",\"giveBalance\":" + give
                + ",\"actualRecharge\":" + actual + ",\"giveRecharge\":" + give + ",\"actualExpense\":0,"
                + "\"giveExpense\":0,\"totalPoints\":" + points + ",\"usedPoints\":0,\"expiredPoints\":0,"
                + "\"actualPoints\":" + points + ",\"previousCardId\":" + previousCardId + ",\"entry\":{}}");
    }
}
