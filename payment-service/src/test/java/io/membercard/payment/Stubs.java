package io.membercard.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.ConfigProvider;

import com.github.tomakehurst.wiremock.client.WireMock;

/**
 * Cards as card-service would answer for them, registered on {@link OtherServicesStub}'s WireMock through its
 * admin API (so tests need not share objects with the test resource).
 */
public final class Stubs {
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Stubs() {
    }

    public static WireMock wiremock() {
        int port = ConfigProvider.getConfig().getValue("membercard.test.wiremock-port", Integer.class);
        return new WireMock("127.0.0.1", port);
    }

    /** A card with its class's rules. */
    public record Card(long id, String code, String mac, int status, boolean canRecharge, boolean canPoint,
            int pointsBasic, int pointsValidDays) {
    }

    /** An active card of a class that can be recharged and earns a point per 10 yuan, valid 365 days. */
    public static Card activeCard() {
        long id = IDS.incrementAndGet();
        return card(new Card(id, "C" + id, "mac-" + id, 2, true, true, 10, 365));
    }

    public static Card card(Card card) {
        WireMock wm = wiremock();
        String json = "{\"status\":200,\"message\":\"\",\"data\":" + checkJson(card) + "}";
        wm.register(get(urlPathEqualTo("/internal/cards/check")).atPriority(1)
                .withQueryParam("cardCode", equalTo(card.code())).withQueryParam("mac", equalTo(card.mac()))
                .willReturn(okJson(json)));
        wm.register(get(urlPathEqualTo("/internal/cards/check")).atPriority(2)
                .withQueryParam("cardCode", equalTo(card.code()))
                .willReturn(
                        okJson("{\"status\":602,\"message\":\"card not found, or its card secret does not match\"}")));
        wm.register(get(urlPathEqualTo("/internal/cards/check-by-mac")).atPriority(1)
                .withQueryParam("mac", equalTo(card.mac())).willReturn(okJson(json)));
        wm.register(get(urlPathEqualTo("/internal/cards/by-code")).atPriority(1)
                .withQueryParam("cardCode", equalTo(card.code())).willReturn(okJson(json)));
        wm.register(get(urlPathEqualTo("/internal/service/cards/by-code")).atPriority(1)
                .withQueryParam("cardCode", equalTo(card.code())).willReturn(okJson(json)));
        return card;
    }

    /**
     * card-service as the holder of {@code authorization} (another tenant's user) sees {@code card}: unknown (602), for
     * card-service reads the tenant from the token payment-service forwards.
     */
    public static void unknownTo(String authorization, Card card) {
        String notFound = "{\"status\":602,\"message\":\"card not found, or its card secret does not match\"}";
        for (String path : new String[]{"/internal/cards/check", "/internal/cards/check-by-mac",
                "/internal/cards/by-code"}) {
            wiremock().register(get(urlPathEqualTo(path)).atPriority(0)
                    .withHeader("Authorization", equalTo(authorization)).willReturn(okJson(notFound)));
        }
    }

    /** A gift member-service knows. */
    public static void gift(long id, long points, boolean inUse) {
        wiremock().register(get(urlPathEqualTo("/internal/gifts/" + id)).atPriority(1).willReturn(okJson(
                "{\"name\":\"Gift " + id + "\",\"points\":" + points + ",\"price\":10.00,\"imagePath\":\"\","
                        + "\"inUse\":" + inUse + ",\"id\":" + id + "}")));
    }

    /**
     * A limit member-service keeps for {@code tenant} (as its {@code /internal/service/limits} answers it), say a
     * merchant whose many tills send more than the default requests a second.
     */
    public static void tenantLimit(long tenant, String name, long value) {
        wiremock().register(get(urlPathEqualTo("/internal/service/limits")).atPriority(1)
                .withQueryParam("tenantId", equalTo(Long.toString(tenant))).willReturn(okJson(
                        "{\"status\":200,\"data\":[{\"name\":\"" + name + "\",\"value\":" + value
                                + ",\"setByPlatform\":true}]}")));
    }

    /** Everything not stubbed: an unknown card. */
    public static void unknownCardsByDefault() {
        String notFound = "{\"status\":602,\"message\":\"card not found, or its card secret does not match\"}";
        WireMock wm = wiremock();
        for (String path : new String[]{"/internal/cards/check", "/internal/cards/check-by-mac",
                "/internal/cards/by-code", "/internal/service/cards/by-code"}) {
            wm.register(get(urlPathEqualTo(path)).atPriority(9).willReturn(okJson(notFound)));
        }
    }

    /** card-service answers every card check with a server error, as if it were failing. */
    public static void cardServiceFailing() {
        wiremock().register(get(urlPathEqualTo("/internal/cards/check")).atPriority(0)
                .willReturn(aResponse().withStatus(503)));
    }

    public static void resetCardService() {
        WireMock wm = wiremock();
        wm.resetMappings();
        wm.register(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/internal/service/events"))
                .atPriority(10).willReturn(aResponse().withStatus(204)));
    }

    private static String checkJson(Card c) {
        return "{\"id\":" + c.id() + ",\"code\":\"" + c.code() + "\",\"status\":" + c.status()
                + ",\"statusName\":\"s\",\"shopId\":1,\"shopName\":\"Shop 1\",\"cardClassId\":1,"
                + "\"cardClassName\":\"Gold\",\"canRecharge\":" + c.canRecharge() + ",\"canMemberPrice\":true,"
                + "\"canDiscount\":true,\"canPoint\":" + c.canPoint() + ",\"pointsBasic\":" + c.pointsBasic()
                + ",\"pointsToOne\":100,\"pointsValidDays\":" + c.pointsValidDays() + "}";
    }
}
