package io.membercard.member.member;

import java.util.List;

/** The key/value lists of card states (S1-04) and send modes (S1-05), as the contract numbers them. */
public final class CardNames {
    /** One entry of a key/value list. */
    public record KeyValue(int key, String value) {
    }

    public static final List<KeyValue> STATUSES = List.of(new KeyValue(1, "未写卡"), new KeyValue(2, "正常"),
            new KeyValue(3, "挂失"), new KeyValue(4, "作废"), new KeyValue(5, "已退卡"), new KeyValue(6, "已换卡"),
            new KeyValue(7, "已过期"));

    public static final List<KeyValue> SEND_MODES = List.of(new KeyValue(1, "实体卡"), new KeyValue(2, "微信卡"),
            new KeyValue(3, "线下批量卡"), new KeyValue(4, "虚拟卡"));

    private CardNames() {
    }

    public static String status(int status) {
        return STATUSES.stream().filter(s -> s.key() == status).map(KeyValue::value).findFirst().orElse("");
    }
}
