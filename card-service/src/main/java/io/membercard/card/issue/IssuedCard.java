package io.membercard.card.issue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.card.card.CardCheck;

/** What became of one item of an {@link IssueRequest}: the member's card, or why it could not be issued. */
@JsonPropertyOrder({"key", "card", "status", "message"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssuedCard(String key, CardCheck card, Integer status, String message) {

    static IssuedCard of(String key, CardCheck card) {
        return new IssuedCard(key, card, null, null);
    }

    static IssuedCard refused(String key, int status, String message) {
        return new IssuedCard(key, null, status, message);
    }
}
