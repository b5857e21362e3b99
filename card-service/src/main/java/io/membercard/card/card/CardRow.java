package io.membercard.card.card;

import java.time.Instant;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A card as stored, with its class's name. {@code macHash} never leaves the service. {@code status} is the card's
 * effective status: an active card past its {@code expiresAt} reads as expired.
 */
public record CardRow(long id, long tenantId, String code, long cardClassId, String cardClassName, long shopId,
        String shopName, int status, int sendMode, String macHash, long macSaltTenantId, Instant writtenAt,
        Long memberId, Long batchOrderId, Long busyOperationId, Instant expiresAt, long version, ClassRules rules) {

    /** What the card's class allows. */
    public record ClassRules(boolean canRecharge, boolean canMemberPrice, boolean canDiscount, boolean canPoint,
            int pointsBasic, int pointsToOne, int pointsValidDays) {
    }

    public static final String COLUMNS = """
            c.id, c.tenant_id, c.code, c.card_class_id, cc.name as card_class_name, c.shop_id, c.shop_name,
            c.status, c.send_mode, c.mac_hash, coalesce(c.mac_salt_tenant_id, c.tenant_id) as mac_salt,
            c.written_at, c.member_id, c.batch_order_id, c.busy_operation_id, c.expires_at, c.version,
            cc.can_recharge, cc.can_member_price, cc.can_discount, cc.can_point, cc.points_basic, cc.points_to_one,
            cc.points_valid_days""";

    /** {@link #COLUMNS}' tables. */
    public static final String FROM = " from card c join card_class cc on cc.id = c.card_class_id ";

    public static CardRow of(Row row) {
        var written = row.getOffsetDateTime("written_at");
        var expires = row.getOffsetDateTime("expires_at");
        Instant expiresAt = expires == null ? null : expires.toInstant();
        int stored = row.getInteger("status");
        int status = stored == CardStatus.ACTIVE.code() && expiresAt != null && expiresAt.isBefore(Instant.now())
                ? CardStatus.EXPIRED.code()
                : stored;
        return new CardRow(row.getLong("id"), row.getLong("tenant_id"), row.getString("code"),
                row.getLong("card_class_id"), row.getString("card_class_name"), row.getLong("shop_id"),
                row.getString("shop_name"), status, row.getInteger("send_mode"), row.getString("mac_hash"),
                row.getLong("mac_salt"), written == null ? null : written.toInstant(), row.getLong("member_id"),
                row.getLong("batch_order_id"), row.getLong("busy_operation_id"), expiresAt, row.getLong("version"),
                new ClassRules(row.getBoolean("can_recharge"), row.getBoolean("can_member_price"),
                        row.getBoolean("can_discount"), row.getBoolean("can_point"), row.getInteger("points_basic"),
                        row.getInteger("points_to_one"), row.getInteger("points_valid_days")));
    }

    public CardStatus cardStatus() {
        return CardStatus.of(status);
    }

    /** Whether a replacement or a return is running on the card. */
    public boolean busy() {
        return busyOperationId != null;
    }
}
