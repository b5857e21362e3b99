package io.membercard.common.api;

import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.idempotency.Idempotent;

/** Builds command responses; a replayed idempotent command carries {@code Idempotent-Replayed: true}. */
public final class Responses {
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private Responses() {
    }

    public static <T> RestResponse<ApiResponse<T>> command(Idempotent<T> outcome) {
        RestResponse.ResponseBuilder<ApiResponse<T>> builder = RestResponse.ResponseBuilder
                .ok(new ApiResponse<>(StatusCode.OK.code(), outcome.message() == null ? "" : outcome.message(),
                        outcome.result()));
        if (outcome.replayed()) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.build();
    }
}
