package io.membercard.card.partner;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The open protocol's answer (seed 003): {@code status} "1" when every card was issued, "0" otherwise with the
 * reason in {@code info}; {@code list} holds the cards issued. Card passwords are never returned ({@code pwd} is
 * empty).
 */
@JsonPropertyOrder({"status", "info", "type", "list", "server_timestamp", "server_time", "server_name", "msid"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpenAnswer(String status, String info, String type, List<Card> list, long server_timestamp,
        String server_time, String server_name, String msid) {

    /** One card issued: {@code id} is the member's id (the card's for a card without member). */
    @JsonPropertyOrder({"id", "cardno", "mbno", "pwd", "extid", "balance"})
    public record Card(long id, String cardno, String mbno, String pwd, String extid, String balance) {
    }
}
