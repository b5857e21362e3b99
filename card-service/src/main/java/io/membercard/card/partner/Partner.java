package io.membercard.card.partner;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A partner that issues cards through the open protocol (seed 003) for one tenant, into one shop and card class.
 * Its sealed secret never leaves the service.
 */
@JsonPropertyOrder({"id", "name", "shopId", "shopName", "cardClassId", "disabled", "createdAt"})
public record Partner(String id, long tenantId, String name, long shopId, String shopName, long cardClassId,
        boolean disabled, Instant createdAt, @JsonIgnore String sealedSecret) {

    static Partner of(Row row) {
        return new Partner(row.getString("id"), row.getLong("tenant_id"), row.getString("name"),
                row.getLong("shop_id"), row.getString("shop_name"), row.getLong("card_class_id"),
                row.getBoolean("disabled"), row.getOffsetDateTime("created_at").toInstant(), row.getString("secret"));
    }
}
