package io.membercard.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The contract's envelope for command results and every failure: {@code {"status": 200, "message": "", "data": ...}}.
 * {@code data} is left out when there is none, as in the seeds' examples.
 */
@JsonPropertyOrder({"status", "message", "data"})
public record ApiResponse<T>(int status, String message, @JsonInclude(JsonInclude.Include.NON_NULL) T data) {

    public static <T> ApiResponse<T> ok(T data) {
        return new ApiResponse<>(StatusCode.OK.code(), "", data);
    }

    public static ApiResponse<Void> ok() {
        return new ApiResponse<>(StatusCode.OK.code(), "", null);
    }

    public static ApiResponse<Void> failure(StatusCode code, String message) {
        return new ApiResponse<>(code.code(), message, null);
    }
}
