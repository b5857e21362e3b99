package io.membercard.member.importing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.membercard.common.api.ApiException;
import io.membercard.common.money.Money;
import io.membercard.member.enrol.EnrolRow;
import io.membercard.member.member.MemberRepository;
import io.membercard.member.member.MemberRules;

/**
 * Turns a file's rows (as its upload keeps them, the card secret hashed) into members to enrol, or the reason each
 * bad row is refused. A row's key is the file's content hash and its row number, so running the same file again
 * finds what it enrolled before.
 */
public final class ImportRows {
    private final String fileKey;
    private final Long defaultLevel;
    private final Map<String, Long> levelsByName;
    private final Map<String, Integer> phones = new HashMap<>();
    private final Map<String, Integer> cardCodes = new HashMap<>();

    /** A row as an enrolment, or its refusal. */
    public record Checked(int rowNo, EnrolRow row, String reason) {
    }

    public ImportRows(String sha256, Long defaultLevel, Map<String, Long> levelsByName) {
        this.fileKey = "import:" + sha256.substring(0, 40);
        this.defaultLevel = defaultLevel;
        this.levelsByName = levelsByName;
    }

    public Checked check(StagedRow raw) {
        try {
            return new Checked(raw.row(), row(raw), null);
        } catch (ApiException e) {
            return new Checked(raw.row(), null, e.getMessage());
        }
    }

    private EnrolRow row(StagedRow raw) {
        String name = MemberRules.name("name", raw.get("name"), true);
        String phone = MemberRules.phone("phone", raw.get("phone"), true);
        Integer firstPhone = phones.putIfAbsent(phone, raw.row());
        if (firstPhone != null) {
            throw ApiException.badInput("phone", "repeats row " + firstPhone);
        }
        String cardCode = raw.get("cardCode");
        if (cardCode != null) {
            if (cardCode.length() > 32 || !cardCode.matches("[A-Za-z0-9_-]+")) {
                throw ApiException.badInput("cardCode", "must be at most 32 letters, digits, - or _");
            }
            Integer firstCode = cardCodes.putIfAbsent(cardCode, raw.row());
            if (firstCode != null) {
                throw ApiException.badInput("cardCode", "repeats row " + firstCode);
            }
        }
        if (raw.macProblem() != null) {
            throw ApiException.badInput("mac", raw.macProblem());
        }
        Long level = defaultLevel;
        String levelName = raw.get("level");
        if (levelName != null) {
            level = levelsByName.get(levelName);
            if (level == null) {
                throw ApiException.badInput("level", "no level in use is named so");
            }
        }
        var profile = new MemberRepository.Profile(name, sex(raw.get("sex")),
                MemberRules.birthday("birthday", raw.get("birthday") == null
                        ? null
                        : raw.get("birthday").replace('/', '-')),
                phone, MemberRules.idCard("idCard", raw.get("idCard")),
                MemberRules.text("address", raw.get("address") == null ? "" : raw.get("address"), 200), "", level,
                List.of());
        return new EnrolRow(fileKey + ":" + raw.row(), profile, cardCode, null, raw.macHashes(),
                cardCode == null ? 4 : 1, null, money("balance", raw.get("balance")),
                money("giveBalance", raw.get("giveBalance")), points(raw.get("points")));
    }

    private static int sex(String raw) {
        if (raw == null) {
            return 2;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "男", "male", "m", "1" -> 1;
            case "女", "female", "f", "0" -> 0;
            case "未知", "2" -> 2;
            default -> throw ApiException.badInput("sex", "must be 男 or 女 (1 or 0)");
        };
    }

    private static BigDecimal money(String column, String raw) {
        if (raw == null) {
            return Money.ZERO;
        }
        try {
            return Money.of(column, new BigDecimal(raw.replace(",", "")));
        } catch (NumberFormatException e) {
            throw ApiException.badInput(column, "must be an amount");
        }
    }

    private static long points(String raw) {
        if (raw == null) {
            return 0;
        }
        try {
            long points = new BigDecimal(raw).longValueExact();
            if (points < 0 || points > 1_000_000_000) {
                throw ApiException.badInput("points", "must be from 0 to 1000000000");
            }
            return points;
        } catch (NumberFormatException | ArithmeticException e) {
            throw ApiException.badInput("points", "must be a whole number");
        }
    }
}
