package io.membercard.card.batchorder;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A batch card order (会员批量开卡单) as seed 000 shows it. {@code details} holds one row per card in
 * {@code getcreateorder}; list pages leave it empty (read the order for its cards).
 */
@JsonPropertyOrder({"shopId", "shopName", "code", "memberCardClassId", "memberCardClassName", "startCode", "endCode",
        "currentCode", "expectCount", "createCount", "writeCount", "isFinished", "createTime", "userId", "userName",
        "details", "id"})
public record BatchOrderView(long shopId, String shopName, String code, long memberCardClassId,
        String memberCardClassName, String startCode, String endCode, String currentCode, int expectCount,
        int createCount, int writeCount, @JsonProperty("isFinished") boolean isFinished, Instant createTime,
        Long userId, String userName, List<Detail> details, long id) {

    /** One card of the order. {@code id} is the card's id, which {@code writecard} takes. */
    @JsonPropertyOrder({"orderId", "cardCode", "isFinished", "id"})
    public record Detail(long orderId, String cardCode, @JsonProperty("isFinished") boolean isFinished, long id) {
    }

    BatchOrderView withDetails(List<Detail> cards) {
        return new BatchOrderView(shopId, shopName, code, memberCardClassId, memberCardClassName, startCode, endCode,
                currentCode, expectCount, createCount, writeCount, isFinished, createTime, userId, userName, cards,
                id);
    }
}
