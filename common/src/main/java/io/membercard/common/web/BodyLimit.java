package io.membercard.common.web;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.membercard.common.config.CommonConfig;
import io.vertx.ext.web.Router;

/**
 * Keeps request bodies small: a body larger than {@code membercard.common.body-limit} (declared by its
 * {@code Content-Length}) is refused with 413 before a byte of it is read, on every path but those a service names
 * as taking files ({@code membercard.common.large-body-paths}, e.g. member-service's upload, which the HTTP server's
 * own {@code quarkus.http.limits.max-body-size} bounds). The gateway applies the same limits, chunked bodies included.
 */
@ApplicationScoped
public class BodyLimit {
    private final long limit;
    private final List<String> largeBodyPaths;

    public BodyLimit(CommonConfig config) {
        this.limit = config.bodyLimit().asLongValue();
        this.largeBodyPaths = config.largeBodyPaths().orElse(List.of());
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && !largeBodyPaths.contains(context.normalizedPath()) && tooLong(length)) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end("{\"status\":413,\"message\":\"the request body is larger than " + limit / 1024
                                + " KB: send less\"}");
                return;
            }
            context.next();
        });
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
