package io.membercard.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks through log files, line by line, for secrets and personal data: the values the tests sent (each a card mac, a
 * phone number, a password...), found anywhere in a line, and what a secret looks like whoever sent it (a JWT, an
 * Authorization header, a bearer credential, a private key, {@code mac=}, {@code password=} or {@code token=} with a
 * value that is not {@code ***}, a full phone or identity number under its name). Masked forms ({@code mac=***},
 * {@code 138****8000}, {@code 1101**********4578}) pass.
 */
final class LogScanner {
    /** A line that holds what no log may hold; {@code excerpt} is the line with all it holds replaced by {@code <found>}. */
    record Finding(Path file, int line, String what, String excerpt) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + what + ": " + excerpt;
        }
    }

    private static final Map<String, Pattern> SHAPES = new LinkedHashMap<>();
    static {
        SHAPES.put("a bearer token (JWT)",
                Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}(?:\\.[A-Za-z0-9_-]*)?"));
        SHAPES.put("an Authorization header", Pattern.compile("(?i)\\bauthorization\\b[\"']?\\s*[:=][^\"\\r\\n]*"));
        // A credential, not prose ("a bearer token is required"): 16 characters or more, a digit among them.
        SHAPES.put("a bearer credential",
                Pattern.compile("(?i)\\bbearer\\s+(?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{16,}"));
        SHAPES.put("a private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));
        // name=value as a query string, a record's toString or a key=value log writes it; an empty value, null and
        // *** pass.
        SHAPES.put("a card mac, password, secret or token with its value", Pattern.compile(
                "(?i)(?<![A-Za-z0-9_])[A-Za-z_]*(?:mac|password|passwd|pwd|secret|token)=(?!\\*{3}|null\\b)"
                        + "[^\\s&,;)\\]}\"']+"));
        SHAPES.put("a card mac, password, secret or token in JSON", Pattern.compile(
                "(?i)\"[A-Za-z_]*(?:mac|password|passwd|pwd|secret|token)\"\\s*:\\s*\"(?!\\*{3}|\")[^\"]*"));
        SHAPES.put("a full phone number under its name", Pattern.compile(
                "(?i)(?:phone|mobile|keyword)[\"']?\\s*[=:]\\s*[\"']?1[3-9][0-9]{9}(?![0-9])"));
        SHAPES.put("a full identity number under its name", Pattern.compile(
                "(?i)(?:idcard|id_card|idnumber|id_number)[\"']?\\s*[=:]\\s*[\"']?[0-9]{17}[0-9Xx]"));
    }

    /** Known values by their first {@link SentSecrets#SHORTEST} characters, so a line is read once. */
    private final Map<String, List<String>> byPrefix = new HashMap<>();
    private final Map<String, String> known;

    /** A scanner for {@code known} values (each with what it is) and for the shapes of secrets. */
    LogScanner(Map<String, String> known) {
        this.known = Map.copyOf(known);
        for (String value : this.known.keySet()) {
            if (value.length() < SentSecrets.SHORTEST) {
                throw new IllegalArgumentException("'" + value + "' is too short to look for");
            }
            byPrefix.computeIfAbsent(value.substring(0, SentSecrets.SHORTEST), p -> new ArrayList<>()).add(value);
        }
    }

    /** Every finding in every regular file under {@code folders} (those that do not exist are skipped). */
    List<Finding> scan(Path... folders) {
        List<Finding> findings = new ArrayList<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    findings.addAll(scanFile(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the logs in " + folder, e);
            }
        }
        return findings;
    }

    /** Every finding in {@code file}; bytes that are not UTF-8 are read as replacement characters. */
    List<Finding> scanFile(Path file) {
        List<Finding> findings = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                scanLine(file, number, line, findings);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return findings;
    }

    private record Span(String what, int start, int end) {
    }

    private void scanLine(Path file, int number, String line, List<Finding> findings) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i + SentSecrets.SHORTEST <= line.length(); i++) {
            List<String> candidates = byPrefix.get(line.substring(i, i + SentSecrets.SHORTEST));
            if (candidates != null) {
                for (String value : candidates) {
                    if (line.startsWith(value, i)) {
                        spans.add(new Span(known.get(value) + " the tests sent", i, i + value.length()));
                    }
                }
            }
        }
        for (Map.Entry<String, Pattern> shape : SHAPES.entrySet()) {
            Matcher matcher = shape.getValue().matcher(line);
            if (matcher.find()) {
                spans.add(new Span(shape.getKey(), matcher.start(), matcher.end()));
            }
        }
        if (spans.isEmpty()) {
            return;
        }
        // The line as a finding shows it: whatever was found replaced by <what>, at most 300 characters of it.
        boolean[] found = new boolean[line.length()];
        for (Span span : spans) {
            Arrays.fill(found, span.start(), span.end(), true);
        }
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            if (!found[i]) {
                shown.append(line.charAt(i));
            } else if (i == 0 || !found[i - 1]) {
                shown.append("<found>");
            }
        }
        String excerpt = shown.length() > 300 ? shown.substring(0, 300) + "..." : shown.toString();
        for (Span span : spans) {
            findings.add(new Finding(file, number, span.what(), excerpt));
        }
    }
}
