package io.membercard.member.member;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.membercard.member.projection.Figures;
import io.vertx.mutiny.sqlclient.Row;

/** A member as stored, with its level and its card's figures as member-service last heard them. */
public record MemberRow(long id, long tenantId, long shopId, int status, String name, int sex, LocalDate birthday,
        String phone, String idCard, String address, String code, Long levelId, String levelName, Integer levelRank,
        List<Long> tagIds, Long cardId, String cardCode, Long cardClassId, String cardClassName, int cardStatus,
        int cardSendMode, String cardShopName, Instant cardWrittenAt, long cardVersion, Instant createdAt,
        Figures figures, Instant pointsDisabledAt) {

    /** The columns {@link #of} reads, and the joins that give them. */
    public static final String SELECT = "select m.id, m.tenant_id, m.shop_id, m.status, m.name, m.sex, m.birthday,"
            + " m.phone, m.id_card, m.address, m.code, m.level_id, m.tag_ids, m.card_id, m.card_code,"
            + " m.card_class_id, m.card_class_name, m.card_status, m.card_send_mode, m.card_shop_name,"
            + " m.card_written_at, m.card_version, m.created_at, l.name as level_name, l.level as level_rank,"
            + " p.points_disabled_at, " + Figures.columns("p")
            + " from member m left join member_level l on l.id = m.level_id"
            + " left join account_projection p on p.tenant_id = m.tenant_id and p.card_id = m.card_id ";

    public static MemberRow of(Row row) {
        Long[] tags = row.getArrayOfLongs("tag_ids");
        var written = row.getOffsetDateTime("card_written_at");
        var expiry = row.getOffsetDateTime("points_disabled_at");
        return new MemberRow(row.getLong("id"), row.getLong("tenant_id"), row.getLong("shop_id"),
                row.getShort("status"), row.getString("name"), row.getShort("sex"), row.getLocalDate("birthday"),
                row.getString("phone"), row.getString("id_card"), row.getString("address"), row.getString("code"),
                row.getLong("level_id"), row.getString("level_name"), row.getInteger("level_rank"),
                tags == null ? List.of() : new ArrayList<>(List.of(tags)), row.getLong("card_id"),
                row.getString("card_code"), row.getLong("card_class_id"), row.getString("card_class_name"),
                row.getShort("card_status"), row.getShort("card_send_mode"), row.getString("card_shop_name"),
                written == null ? null : written.toInstant(), row.getLong("card_version"),
                row.getOffsetDateTime("created_at").toInstant(), Figures.of(row),
                expiry == null ? null : expiry.toInstant());
    }

    public MemberRow withFigures(Figures live, Instant livePointsDisabledAt) {
        return new MemberRow(id, tenantId, shopId, status, name, sex, birthday, phone, idCard, address, code, levelId,
                levelName, levelRank, tagIds, cardId, cardCode, cardClassId, cardClassName, cardStatus, cardSendMode,
                cardShopName, cardWrittenAt, cardVersion, createdAt, live, livePointsDisabledAt);
    }
}
