package io.membercard.member.gift;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A gift as S1-12 shows it. */
@JsonPropertyOrder({"name", "points", "price", "imagePath", "inUse", "id"})
public record GiftView(String name, long points, BigDecimal price, String imagePath, boolean inUse, long id) {

    static GiftView of(Gift gift) {
        return new GiftView(gift.name, gift.points, gift.price, gift.imagePath, gift.inUse, gift.id);
    }
}
