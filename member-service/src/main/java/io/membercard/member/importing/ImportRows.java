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
        repeat(raw, "phone");
        String cardCode = cardCode(raw.get("cardCode"));
        repeat(raw, "cardCode");
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

    private static void repeat(StagedRow raw, String column) {
        if (column.equals(raw.repeatColumn())) {
            throw ApiException.badInput(column, "repeats row " + raw.repeatOf());
        }
    }

    private static String cardCode(String cardCode) {
        if (cardCode != null && (cardCode.length() > 32 || !cardCode.matches("[A-Za-z0-9_-]+"))) {
            throw ApiException.badInput("cardCode", "must be at most 32 letters, digits, - or _");
        }
        return cardCode;
    }

    /**
     * Finds the rows of a file whose phone or card code an earlier row has, as the upload reads it row by row (the
     * import checks a chunk at a time). A row refused before its phone or card code is compared (a bad name or
     * phone, a malformed card code) takes neither, as when a whole file was checked at once.
     */
    static final class Repeats {
        private final Map<String, Integer> phones = new HashMap<>();
        private final Map<String, Integer> cardCodes = new HashMap<>();

        /** The row, marked with the column an earlier row has the same value in and that row's number. */
        StagedRow mark(StagedRow row) {
            try {
                MemberRules.name("name", row.get("name"), true);
                Integer first = phones.putIfAbsent(MemberRules.phone("phone", row.get("phone"), true), row.row());
                if (first != null) {
                    return repeated(row, "phone", first);
                }
                String code = cardCode(row.get("cardCode"));
                first = code == null ? null : cardCodes.putIfAbsent(code, row.row());
                return first == null ? row : repeated(row, "cardCode", first);
            } catch (ApiException e) {
                return row;
            }
        }

        private static StagedRow repeated(StagedRow row, String column, int first) {
            return new StagedRow(row.row(), row.values(), row.macHashes(), row.macProblem(), column, first);
        }
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
