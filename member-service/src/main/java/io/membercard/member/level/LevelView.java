package io.membercard.member.level;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A level as S1-11 shows it. */
@JsonPropertyOrder({"name", "level", "discount", "imagePath", "id"})
public record LevelView(String name, int level, BigDecimal discount, String imagePath, long id) {

    static LevelView of(MemberLevel level) {
        return new LevelView(level.name, level.level, level.discount, level.imagePath, level.id);
    }
}
