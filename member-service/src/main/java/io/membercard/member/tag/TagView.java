package io.membercard.member.tag;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A tag as S1-10 shows it. */
@JsonPropertyOrder({"name", "id"})
public record TagView(String name, long id) {

    static TagView of(MemberTag tag) {
        return new TagView(tag.name, tag.id);
    }
}
