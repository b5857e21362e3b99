package io.membercard.member.importing;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A row of an uploaded file as an upload keeps it until its import ends: its number in the file and its values by
 * column, except the card secret (卡密), which is kept only as card-service's hashes ({@code macHashes}), or as the
 * reason it could not be hashed ({@code macProblem}). A row whose phone or card code an earlier row of the file has
 * names that column and row ({@code repeatColumn}, {@code repeatOf}): an import checks its rows a chunk at a time, and
 * the upload, which reads the whole file, is what sees repeats across chunks. The file itself is never kept.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StagedRow(int row, Map<String, String> values, List<String> macHashes, String macProblem,
        String repeatColumn, Integer repeatOf) {

    /** The value of {@code column}, trimmed; null when blank. */
    public String get(String column) {
        String value = values.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
