package io.membercard.card.batchorder;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A batch card order (会员批量开卡单) as seed 000 shows it. In {@code getcreateorder}, {@code details} holds one
 * page of its cards, one row per card (all of them for an order of up to 500), with {@code detailCount} (every
 * card of the order), {@code detailPageIndex} and {@code detailPageSize}; list pages leave {@code details} empty
 * and carry none of the three (read the order for its cards).
 */
@JsonPropertyOrder({"shopId", "shopName", "code", "memberCardClassId", "memberCardClassName", "startCode", "endCode",
        "currentCode", "expectCount", "createCount", "writeCount", "isFinished", "createTime", "userId", "userName",
        "details", "detailCount", "detailPageIndex", "detailPageSize", "id"})
public record BatchOrderView(long shopId, String shopName, String code, long memberCardClassId,
        String memberCardClassName, String startCode, String endCode, String currentCode, int expectCount,
        int createCount, int writeCount, @JsonProperty("isFinished") boolean isFinished, Instant createTime,
        Long userId, String userName, List<Detail> details,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer detailCount,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer detailPageIndex,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer detailPageSize, long id) {

    /** One card of the order. {@code id} is the card's id, which {@code writecard} takes. */
    @JsonPropertyOrder({"orderId", "cardCode", "isFinished", "id"})
    public record Detail(long orderId, String cardCode, @JsonProperty("isFinished") boolean isFinished, long id) {
    }

    /** The order with one page of its cards; every card of an order is one it created. */
    BatchOrderView withDetails(List<Detail> cards, int pageIndex, int pageSize) {
        return new BatchOrderView(shopId, shopName, code, memberCardClassId, memberCardClassName, startCode, endCode,
                currentCode, expectCount, createCount, writeCount, isFinished, createTime, userId, userName, cards,
                createCount, pageIndex, pageSize, id);
    }
}
