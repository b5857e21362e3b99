package io.membercard.member.importing;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An import as its starter reads it: where it stands ({@code QUEUED}, {@code RUNNING}, {@code DONE},
 * {@code FAILED}), how many rows the file has and how many were processed, created, found enrolled already
 * ({@code existing}: the same file run again) or rejected, and the rejected rows with their reasons (the first
 * {@value #MAX_LISTED}).
 */
@JsonPropertyOrder({"id", "fileName", "status", "total", "processed", "created", "existing", "rejected", "error",
        "createdAt", "startedAt", "finishedAt", "rejections"})
public record ImportJob(long id, String fileName, String status, int total, int processed, int created,
        int existing, int rejected, String error, Instant createdAt, Instant startedAt, Instant finishedAt,
        List<Rejection> rejections) {

    public static final int MAX_LISTED = 1000;

    /** A refused row: its number in the file (the header is row 1) and why. */
    public record Rejection(int row, String reason) {
    }
}
