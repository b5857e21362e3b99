package io.membercard.card.partner;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.card.cardclass.CardClassService;
import io.membercard.common.api.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A tenant's partners: made with a new secret (shown once), listed, disabled. */
@ApplicationScoped
public class PartnerService {
    private static final Logger LOG = Logger.getLogger(PartnerService.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Pool pool;
    private final PartnerSecrets secrets;
    private final CardClassService classes;
    private final SecureRandom random = new SecureRandom();

    public PartnerService(Pool pool, PartnerSecrets secrets, CardClassService classes) {
        this.pool = pool;
        this.secrets = secrets;
        this.classes = classes;
    }

    /** A new partner's id and secret: the only time the secret is shown. */
    public record Credentials(String id, String secret) {
    }

    public Uni<Credentials> create(long tenantId, PartnerResource.PartnerSave save) {
        String id = "P" + code(11);
        String secret = secrets.newSecret();
        return classes.requireUsable(tenantId, save.cardClassId(), "cardClassId")
                .flatMap(cardClass -> pool.preparedQuery("""
                        insert into partner (id, tenant_id, name, shop_id, shop_name, card_class_id, secret)
                        values ($1, $2, $3, $4, $5, $6, $7)""")
                        .execute(Tuple.from(new Object[]{id, tenantId, save.name().trim(), save.shopId(),
                                save.shopName() == null ? "" : save.shopName().trim(), cardClass.id(),
                                secrets.seal(secret)})))
                .replaceWith(new Credentials(id, secret))
                .invoke(() -> LOG.infof("tenant %d: partner %s (%s) made", tenantId, id, save.name()));
    }

    public Uni<List<Partner>> list(long tenantId) {
        return pool.preparedQuery("select * from partner where tenant_id = $1 order by created_at")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<Partner> partners = new ArrayList<>();
                    rows.forEach(row -> partners.add(Partner.of(row)));
                    return partners;
                });
    }

    public Uni<Void> disable(long tenantId, String id) {
        return pool.preparedQuery("update partner set disabled = true where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.notFound("partner " + id);
                    }
                    return null;
                });
    }

    /** The partner {@code id}, of any tenant (the open protocol names it), or null. */
    public Uni<Partner> find(String id) {
        return pool.preparedQuery("select * from partner where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Partner.of(rows.iterator().next()) : null);
    }

    private String code(int length) {
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
