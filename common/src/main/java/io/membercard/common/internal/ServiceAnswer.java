package io.membercard.common.internal;

import java.net.ConnectException;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.lock.LockTimeoutException;
import io.membercard.common.logging.LogText;
import io.smallrye.mutiny.Uni;

/**
 * What another service's command answered, sorted the way a saga needs it: done (with {@code data}), refused or
 * never reached (nothing changed there), or unknown (a timeout or server error: it may have changed). A REST client
 * interface turns every non-2xx answer into {@link Answered} ({@code @RegisterProvider(ServiceAnswer.Mapper.class)})
 * and its caller sorts the call with {@link #sort}; circuit breakers skip {@link Refusal}.
 */
public record ServiceAnswer(Kind kind, JsonNode data, StatusCode status, String message) {

    public enum Kind {
        DONE, REFUSED, NOT_REACHED, UNKNOWN
    }

    public boolean done() {
        return kind == Kind.DONE;
    }

    /** Certainly nothing changed on the other side. */
    public boolean nothingChanged() {
        return kind == Kind.REFUSED || kind == Kind.NOT_REACHED;
    }

    /**
     * Whether a refusal decides a repeated call: the service refused the command itself (a repeat of one it carried out
     * is answered from what it did, so a refusal says it never did). Not so for a refusal on the way in (the account's
     * lock busy, {@link LockTimeoutException}: the earlier call may still hold it; too many requests; not
     * authenticated), which says nothing of an earlier call, and is asked again.
     */
    public boolean decisive() {
        return kind == Kind.REFUSED && status != StatusCode.TOO_MANY_REQUESTS && status != StatusCode.UNAUTHORIZED
                && !(status == StatusCode.CONFLICT && message != null
                        && message.endsWith(LockTimeoutException.BUSY));
    }

    /** The answer as a failure for the caller: the refusal itself, or 500 when the service could not answer. */
    public ApiException failure(String service) {
        return switch (kind) {
            case REFUSED -> new ApiException(status, message);
            case NOT_REACHED -> new ApiException(StatusCode.INTERNAL, "the " + service
                    + " is unavailable: nothing was changed, try again");
            default -> new ApiException(StatusCode.INTERNAL, "the " + service + " did not answer; " + message);
        };
    }

    /** Reads an envelope with its HTTP status. */
    public static ServiceAnswer read(ObjectMapper mapper, int http, String body) {
        if (http >= 500) {
            return new ServiceAnswer(Kind.UNKNOWN, null, StatusCode.INTERNAL, "HTTP " + http);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            return http == 200
                    ? new ServiceAnswer(Kind.UNKNOWN, null, StatusCode.INTERNAL, "unreadable answer")
                    : new ServiceAnswer(Kind.REFUSED, null, StatusCode.of(http), "refused (HTTP " + http + ")");
        }
        int status = json.path("status").asInt(http);
        if (http == 200 && status == 200) {
            return new ServiceAnswer(Kind.DONE, json.path("data"), StatusCode.OK, "");
        }
        return new ServiceAnswer(Kind.REFUSED, null, StatusCode.of(status), json.path("message").asText("refused"));
    }

    /** A call that failed without an answer. */
    public static ServiceAnswer failed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t.getClass().getSimpleName().equals("CircuitBreakerOpenException")) {
                return new ServiceAnswer(Kind.NOT_REACHED, null, StatusCode.INTERNAL, LogText.error(e));
            }
        }
        return new ServiceAnswer(Kind.UNKNOWN, null, StatusCode.INTERNAL, LogText.error(e));
    }

    /** An answer with an HTTP status other than 2xx, raised by the REST client so that it can be read. */
    public static class Answered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final int status;
        public final transient String body;

        public Answered(int status, String body) {
            super("HTTP " + status, null, false, false);
            this.status = status;
            this.body = body;
        }

        /** The REST client's exception for a non-2xx answer: a refusal (4xx) never opens a circuit. */
        public static Answered of(Response response) {
            String body;
            try {
                body = response.readEntity(String.class);
            } catch (RuntimeException unreadable) {
                body = null;
            }
            return response.getStatus() < 500
                    ? new Refusal(response.getStatus(), body)
                    : new Answered(response.getStatus(), body);
        }
    }

    /** A REST client's provider that turns every non-2xx answer into {@link Answered#of}. */
    public static final class Mapper implements ResponseExceptionMapper<Answered> {
        @Override
        public Answered toThrowable(Response response) {
            return Answered.of(response);
        }
    }

    /** A 4xx answer. */
    public static final class Refusal extends Answered {
        private static final long serialVersionUID = 1L;

        public Refusal(int status, String body) {
            super(status, body);
        }
    }

    /** Sorts a call's answer or failure. */
    public static Uni<ServiceAnswer> sort(ObjectMapper mapper, Uni<String> call) {
        return call.map(body -> read(mapper, 200, body)).onFailure().recoverWithItem(e -> e instanceof Answered a
                ? read(mapper, a.status, a.body)
                : failed(e));
    }
}
