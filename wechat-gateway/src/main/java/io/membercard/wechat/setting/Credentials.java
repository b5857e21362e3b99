package io.membercard.wechat.setting;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.crypto.Keyring;
import io.membercard.wechat.config.WechatConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
  * A tenant's WeChat and Alipay credentials (setting/save and setting/get): kept sealed ({@link Keyring}, each bound
 * to its tenant, its account's app id and its field), opened only to call the provider, never returned or logged.
 * Made at start, so that keys that cannot be read stop the service instead of failing the first save.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class Credentials {
    private static final Logger LOG = Logger.getLogger(Credentials.class);
    private static final Pattern WECHAT_APP_ID = Pattern.compile("wx[0-9a-f]{16}");
    private static final Pattern WECHAT_SECRET = Pattern.compile("[0-9A-Za-z]{32}");
    private static final Pattern WECHAT_TOKEN = Pattern.compile("[0-9A-Za-z]{3,32}");
    private static final Pattern WECHAT_AES_KEY = Pattern.compile("[0-9A-Za-z]{43}");
    private static final Pattern ALIPAY_APP_ID = Pattern.compile("\\d{16}");

    private final Pool pool;
    private final Keyring keyring;
    private final String publicUrl;

    public Credentials(Pool pool, WechatConfig config) {
        this.pool = pool;
        this.keyring = new Keyring("membercard.wechat.credential-keys", config.credentialKeys());
        this.publicUrl = config.publicUrl().replaceAll("/+$", "");
    }

    /** Body of save; {@code toString} never shows a secret. */
    public record Save(WechatPart wechat, AlipayPart alipay) {
    }

    /**
    * A secret left out keeps the one saved before for the same appId (every secret is required for a new appId: an
    * account's secrets never pair with another's id).
    */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = false)
    public record WechatPart(String appId, String appSecret, String token, String encodingAesKey) {
        @Override
        public String toString() {
            return "WechatPart[appId=" + appId + ", secrets hidden]";
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = false)
    public record AlipayPart(String appId, String privateKey, String alipayPublicKey) {
        @Override
        public String toString() {
            return "AlipayPart[appId=" + appId + ", keys hidden]";
        }
    }

    /** What getsetting shows: no secret, only whether each is set. */
    public record View(WechatView wechat, AlipayView alipay) {
    }

    public record WechatView(String appId, boolean appSecretSet, boolean tokenSet, boolean encodingAesKeySet,
            String callbackUrl) {
    }

    public record AlipayView(String appId, boolean privateKeySet, boolean alipayPublicKeySet) {
    }

    /** The tenant's WeChat credentials, opened, for a call to WeChat or a push's signature. */
    public record Wechat(String appId, String appSecret, String token, String encodingAesKey) {
        @Override
        public String toString() {
            return "Wechat[appId=" + appId + ", secrets hidden]";
        }
    }

    public Uni<View> view(long tenantId) {
        return row(pool, tenantId, false).map(row -> view(tenantId, row));
    }

    /** Saves the parts given (each whole once merged with what was saved), then answers {@link #view}. */
    public Uni<View> save(long tenantId, Save body, String userId) {
        if (body == null || body.wechat() == null && body.alipay() == null) {
            throw ApiException.badInput("body", "needs wechat or alipay (or both)");
        }
        WechatPart wechat = body.wechat() == null ? null : checked(body.wechat());
        AlipayPart alipay = body.alipay() == null ? null : checked(body.alipay());
        String by = userId.length() > 64 ? userId.substring(0, 64) : userId;
        return pool.withTransaction(tx -> tx.preparedQuery("""
                insert into tenant_credential (tenant_id, updated_by) values ($1, $2)
                on conflict (tenant_id) do nothing""").execute(Tuple.of(tenantId, by))
                .flatMap(ignored -> row(tx, tenantId, true))
                .flatMap(row -> {
                    String[] w = {row.getString("wechat_app_id"), row.getString("wechat_app_secret"),
                            row.getString("wechat_token"), row.getString("wechat_aes_key")};
                    String[] a = {row.getString("alipay_app_id"), row.getString("alipay_private_key"),
                            row.getString("alipay_public_key")};
                    if (wechat != null) {
                        boolean same = wechat.appId().equals(w[0]);
                        w[0] = wechat.appId();
                        w[1] = sealOrKeep(tenantId, w[0], "wechat.appSecret", wechat.appSecret(), same ? w[1] : null);
                        w[2] = sealOrKeep(tenantId, w[0], "wechat.token", wechat.token(), same ? w[2] : null);
                        w[3] = sealOrKeep(tenantId, w[0], "wechat.encodingAesKey", wechat.encodingAesKey(),
                                same ? w[3] : null);
                    }
                    if (alipay != null) {
                        boolean same = alipay.appId().equals(a[0]);
                        a[0] = alipay.appId();
                        a[1] = sealOrKeep(tenantId, a[0], "alipay.privateKey", alipay.privateKey(), same ? a[1] : null);
                        a[2] = sealOrKeep(tenantId, a[0], "alipay.alipayPublicKey", alipay.alipayPublicKey(),
                                same ? a[2] : null);
                    }
                    return tx.preparedQuery("""
                            update tenant_credential set wechat_app_id = $2, wechat_app_secret = $3,
                                   wechat_token = $4, wechat_aes_key = $5, alipay_app_id = $6,
                                   alipay_private_key = $7, alipay_public_key = $8, updated_at = now(), updated_by = $9
                            where tenant_id = $1""")
                            .execute(Tuple.from(new Object[]{tenantId, w[0], w[1], w[2], w[3], a[0], a[1], a[2],
                                    userId.length() > 64 ? userId.substring(0, 64) : userId}));
                })
                .flatMap(ignored -> row(tx, tenantId, false)))
                .invoke(() -> LOG.infof("tenant %d: provider credentials saved by %s (%s%s)", tenantId, userId,
                        wechat == null ? "" : "wechat", alipay == null ? "" : (wechat == null ? "" : ", ") + "alipay"))
                .map(row -> view(tenantId, row));
    }

    /**
     * The tenant's WeChat credentials, opened; 400 naming what is missing when the tenant has not saved them (the
     * endpoints that call WeChat need them).
     */
    public Uni<Wechat> wechat(long tenantId) {
        return row(pool, tenantId, false).map(row -> {
            if (row == null || row.getString("wechat_app_id") == null) {
                throw new ApiException(StatusCode.BAD_REQUEST, "the tenant has no WeChat credentials: a manager "
                        + "saves them first (api/weixin/setting/save)");
            }
            String appId = row.getString("wechat_app_id");
            return new Wechat(appId,
                    keyring.open(row.getString("wechat_app_secret"), context(tenantId, appId, "wechat.appSecret")),
                    keyring.open(row.getString("wechat_token"), context(tenantId, appId, "wechat.token")),
                    keyring.open(row.getString("wechat_aes_key"), context(tenantId, appId, "wechat.encodingAesKey")));
        });
    }

    private static WechatPart checked(WechatPart part) {
        require("wechat.appId", part.appId(), WECHAT_APP_ID, "an official account's appid (wx and 16 hex digits)");
        optional("wechat.appSecret", part.appSecret(), WECHAT_SECRET, "the AppSecret: 32 letters or digits");
        optional("wechat.token", part.token(), WECHAT_TOKEN, "the server token: 3 to 32 letters or digits");
        optional("wechat.encodingAesKey", part.encodingAesKey(), WECHAT_AES_KEY,
                "the EncodingAESKey: 43 letters or digits");
        return new WechatPart(part.appId().trim(), trim(part.appSecret()), trim(part.token()),
                trim(part.encodingAesKey()));
    }

    private static AlipayPart checked(AlipayPart part) {
        require("alipay.appId", part.appId(), ALIPAY_APP_ID, "an Alipay application's id (16 digits)");
        AlipayPart checked = new AlipayPart(part.appId().trim(),
                blank(part.privateKey()) ? null : ProviderKeys.privateKey("alipay.privateKey", part.privateKey()),
                blank(part.alipayPublicKey())
                        ? null
                        : ProviderKeys.publicKey("alipay.alipayPublicKey", part.alipayPublicKey()));
        if (checked.privateKey() != null && checked.alipayPublicKey() != null
                && ProviderKeys.samePair(checked.privateKey(), checked.alipayPublicKey())) {
            throw ApiException.badInput("alipay.alipayPublicKey", "is the application's own public key: give "
                    + "Alipay's public key (the console's 支付宝公钥)");
        }
        return checked;
    }

    private static void require(String field, String value, Pattern pattern, String what) {
        if (blank(value)) {
            throw ApiException.badInput(field, "is required: " + what);
        }
        optional(field, value, pattern, what);
    }

    private static void optional(String field, String value, Pattern pattern, String what) {
        if (!blank(value) && !pattern.matcher(value.trim()).matches()) {
            throw ApiException.badInput(field, "must be " + what);
        }
    }

    private String sealOrKeep(long tenantId, String appId, String field, String given, String saved) {
        if (given != null) {
            return keyring.seal(given, context(tenantId, appId, field));
        }
        if (saved == null) {
            throw ApiException.badInput(field, "is required (none saved for this appId)");
        }
        return saved;
    }

    /**
     * What a sealed secret is bound to: copied to another tenant's row or another field, or with the app id beside
     * it changed, it does not open.
     */
    private static String context(long tenantId, String appId, String field) {
        return "tenant:" + tenantId + ":" + appId + ":" + field;
    }

    private Uni<Row> row(io.vertx.mutiny.sqlclient.SqlClient client, long tenantId, boolean lock) {
        return client
                .preparedQuery("select * from tenant_credential where tenant_id = $1" + (lock ? " for update" : ""))
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    }

    private View view(long tenantId, Row row) {
        if (row == null) {
            return new View(null, null);
        }
        WechatView wechat = row.getString("wechat_app_id") == null
                ? null
                : new WechatView(row.getString("wechat_app_id"), row.getString("wechat_app_secret") != null,
                        row.getString("wechat_token") != null, row.getString("wechat_aes_key") != null,
                        publicUrl + "/api/weixin/notify/" + tenantId);
        AlipayView alipay = row.getString("alipay_app_id") == null
                ? null
                : new AlipayView(row.getString("alipay_app_id"), row.getString("alipay_private_key") != null,
                        row.getString("alipay_public_key") != null);
        return new View(wechat, alipay);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String trim(String value) {
        return blank(value) ? null : value.trim();
    }
}
