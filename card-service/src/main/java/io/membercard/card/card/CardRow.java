package io.membercard.card.card;

import java.time.Instant;

import io.vertx.mutiny.sqlclient.Row;

/** A card as stored, with its class's name. {@code macHash} never leaves the service. */
public record CardRow(long id, long tenantId, String code, long cardClassId, String cardClassName, long shopId,
        String shopName, int status, int sendMode, String macHash, Instant writtenAt, ClassRules rules) {

    /** What the card's class allows. */
    public record ClassRules(boolean canRecharge, boolean canMemberPrice, boolean canDiscount, boolean canPoint,
            int pointsBasic, int pointsToOne, int pointsValidDays) {
    }

    static final String COLUMNS = """
            c.id, c.tenant_id, c.code, c.card_class_id, cc.name as card_class_name, c.shop_id, c.shop_name,
            c.status, c.send_mode, c.mac_hash, c.written_at, cc.can_recharge, cc.can_member_price,
            cc.can_discount, cc.can_point, cc.points_basic, cc.points_to_one, cc.points_valid_days""";

    static CardRow of(Row row) {
        var written = row.getOffsetDateTime("written_at");
        return new CardRow(row.getLong("id"), row.getLong("tenant_id"), row.getString("code"),
                row.getLong("card_class_id"), row.getString("card_class_name"), row.getLong("shop_id"),
                row.getString("shop_name"), row.getInteger("status"), row.getInteger("send_mode"),
                row.getString("mac_hash"), written == null ? null : written.toInstant(),
                new ClassRules(row.getBoolean("can_recharge"), row.getBoolean("can_member_price"),
                        row.getBoolean("can_discount"), row.getBoolean("can_point"), row.getInteger("points_basic"),
                        row.getInteger("points_to_one"), row.getInteger("points_valid_days")));
    }
}
