package io.membercard.wechat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.membercard.wechat.setting.Credentials;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Issue 13, item 1: a tenant's provider credentials, sealed at rest, never returned. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class CredentialsTest {
    private static final String SECRET = "0123456789abcdefABCDEF0123456789";
    private static final String TOKEN = "sandboxToken42";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private final Pool pool;
    private final Credentials credentials;

    CredentialsTest(Pool pool, Credentials credentials) {
        this.pool = pool;
        this.credentials = credentials;
    }

    private static long tenant() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private static ValidatableResponse save(String token, String json) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(json)
                .post("/api/weixin/setting/save").then();
    }

    private static String wechat(String appId) {
        return "{\"wechat\":{\"appId\":\"" + appId + "\",\"appSecret\":\"" + SECRET + "\",\"token\":\"" + TOKEN
                + "\",\"encodingAesKey\":\"" + AES_KEY + "\"}}";
    }

    private static String[] rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        var other = generator.generateKeyPair();
        // The application's private key, Alipay's public key (a pair of its own), the application's public key.
        return new String[]{Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                Base64.getEncoder().encodeToString(other.getPublic().getEncoded()),
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())};
    }

    /** Every column of the tenant's row as text. */
    private String stored(long tenant) {
        return pool.preparedQuery("select t::text from tenant_credential t where tenant_id = $1")
                .execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getString(0);
    }

    @Test
    void aManagerSavesCredentialsThatAreSealedAndNeverShown() throws Exception {
        long tenant = tenant();
        String manager = Tokens.manager(tenant);
        String body = save(manager, wechat("wx0123456789abcdef")).statusCode(200).body("status", equalTo(200))
                .body("data.wechat.appId", equalTo("wx0123456789abcdef"))
                .body("data.wechat.appSecretSet", equalTo(true)).body("data.wechat.tokenSet", equalTo(true))
                .body("data.wechat.encodingAesKeySet", equalTo(true))
                .body("data.wechat.callbackUrl", equalTo("http://127.0.0.1:8080/api/weixin/notify/" + tenant))
                .body("data.alipay", nullValue()).extract().asString();
        assertThat(body).doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(AES_KEY);
        String row = stored(tenant);
        assertThat(row).doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(AES_KEY).contains("v1:test1:");

        // The Alipay part alone: WeChat's is kept; a secret left out keeps the saved one.
        String[] keys = rsa();
        save(manager, "{\"alipay\":{\"appId\":\"2021000123456789\",\"privateKey\":\"" + keys[0]
                + "\",\"alipayPublicKey\":\"-----BEGIN PUBLIC KEY-----\\n" + keys[1]
                + "\\n-----END PUBLIC KEY-----\"}}")
                .statusCode(200).body("data.alipay.privateKeySet", equalTo(true))
                .body("data.alipay.alipayPublicKeySet", equalTo(true))
                .body("data.wechat.appId", equalTo("wx0123456789abcdef"));
        assertThat(stored(tenant)).doesNotContain(keys[0]).doesNotContain(keys[1]);
        // The same account without its secrets keeps them; another account's id needs its own.
        save(manager, "{\"wechat\":{\"appId\":\"wx0123456789abcdef\",\"token\":\"" + TOKEN + "\"}}").statusCode(200)
                .body("data.wechat.appSecretSet", equalTo(true));
        save(manager, "{\"wechat\":{\"appId\":\"wxfedcba9876543210\"}}").statusCode(400)
                .body("message", startsWith("wechat.appSecret: is required"));
        save(manager, wechat("wxfedcba9876543210")).statusCode(200);
        String got = given().header("Authorization", manager).get("/api/weixin/setting/get").then().statusCode(200)
                .body("wechat.appId", equalTo("wxfedcba9876543210")).body("alipay.appId", equalTo("2021000123456789"))
                .extract().asString();
        assertThat(got).doesNotContain(SECRET).doesNotContain(keys[0]);
        var opened = credentials.wechat(tenant).await().indefinitely();
        assertThat(opened.appSecret()).isEqualTo(SECRET);
        assertThat(opened.encodingAesKey()).isEqualTo(AES_KEY);
        assertThat(opened.toString()).doesNotContain(SECRET);
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
        long tenant = tenant();
        String manager = Tokens.manager(tenant);
        String[] keys = rsa();
        for (String[] bad : List.of(new String[]{"{}", "body: "},
                new String[]{wechat("wx123"), "wechat.appId: "},
                new String[]{wechat("wx0123456789abcdef").replace(AES_KEY, AES_KEY + "x"), "wechat.encodingAesKey: "},
                new String[]{wechat("wx0123456789abcdef").replace(SECRET, "short"), "wechat.appSecret: "},
                new String[]{"{\"wechat\":{\"appId\":\"wx0123456789abcdef\",\"appSecret\":\"" + SECRET + "\"}}",
                        "wechat.token: "},
                new String[]{"{\"alipay\":{\"appId\":\"2021000123456789\",\"privateKey\":\"not a key\","
                        + "\"alipayPublicKey\":\"" + keys[1] + "\"}}", "alipay.privateKey: "},
                // The public key where the private one goes.
                new String[]{"{\"alipay\":{\"appId\":\"2021000123456789\",\"privateKey\":\"" + keys[1]
                        + "\",\"alipayPublicKey\":\"" + keys[1] + "\"}}", "alipay.privateKey: "},
                new String[]{"{\"alipay\":{\"appId\":\"12\",\"privateKey\":\"" + keys[0] + "\"}}",
                        "alipay.appId: "},
                // The application's own public key where Alipay's goes.
                new String[]{"{\"alipay\":{\"appId\":\"2021000123456789\",\"privateKey\":\"" + keys[0]
                        + "\",\"alipayPublicKey\":\"" + keys[2] + "\"}}", "alipay.alipayPublicKey: "},
                // WeChat's own spelling of a field is not silently dropped.
                new String[]{"{\"wechat\":{\"appId\":\"wx0123456789abcdef\",\"encodingAESKey\":\"" + AES_KEY
                        + "\"}}", ""},
                // A secret sent unquoted is not quoted back.
                new String[]{"{\"wechat\":{\"appId\":\"wx0123456789abcdef\",\"encodingAesKey\":" + AES_KEY
                        + "}}", "wechat: is not a JSON value (line 1"})) {
            String message = save(manager, bad[0]).statusCode(400).body("message", startsWith(bad[1])).extract()
                    .path("message");
            assertThat(message).doesNotContain(SECRET).doesNotContain(AES_KEY);
        }
        given().header("Authorization", manager).get("/api/weixin/setting/get").then().statusCode(200)
                .body("wechat", nullValue()).body("alipay", nullValue());
        assertThatThrownBy(() -> credentials.wechat(tenant).await().indefinitely())
                .hasMessageContaining("no WeChat credentials");
    }

    @Test
    void onlyManagersOfTheTenantSeeOrChangeThem() {
        long tenant = tenant();
        save(Tokens.cashier(tenant, 1), wechat("wx0123456789abcdef")).statusCode(403);
        given().header("Authorization", Tokens.cashier(tenant, 1)).get("/api/weixin/setting/get").then()
                .statusCode(403);
        given().contentType(ContentType.JSON).body(wechat("wx0123456789abcdef")).post("/api/weixin/setting/save")
                .then().statusCode(401);
        save(Tokens.manager(tenant), wechat("wx0123456789abcdef")).statusCode(200);
        given().header("Authorization", Tokens.manager(tenant + 1)).get("/api/weixin/setting/get").then()
                .statusCode(200).body("wechat", nullValue());
    }

    /** A sealed secret copied into another tenant's row (someone who can write the table) does not open there. */
    @Test
    void aSealedSecretCopiedToAnotherTenantDoesNotOpen() {
        long a = tenant();
        long b = tenant();
        save(Tokens.manager(a), wechat("wx0123456789abcdef")).statusCode(200);
        save(Tokens.manager(b), wechat("wx0123456789abcdef").replace(SECRET, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"))
                .statusCode(200);
        pool.preparedQuery("""
                update tenant_credential set wechat_app_secret = (select wechat_app_secret from tenant_credential
                                                                  where tenant_id = $1)
                where tenant_id = $2""").execute(Tuple.of(a, b)).await().indefinitely();
        assertThatThrownBy(() -> credentials.wechat(b).await().indefinitely())
                .hasMessageContaining("cannot be read");
    }
}
