package io.membercard.common.api;

/**
 * A refusal the caller can act on: a contract status code and a message (naming the field for bad input).
 * It carries no stack trace: it is an answer, not a fault.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final StatusCode status;

    public ApiException(StatusCode status, String message) {
        super(message == null || message.isBlank() ? status.defaultMessage() : message, null, false, false);
        this.status = status;
    }

    public ApiException(StatusCode status) {
        this(status, status.defaultMessage());
    }

    public StatusCode status() {
        return status;
    }

    /** Bad input: the message starts with the field's name, e.g. {@code "startCode: must end with digits"}. */
    public static ApiException badInput(String field, String problem) {
        return new ApiException(StatusCode.BAD_REQUEST, field + ": " + problem);
    }

    /** An id that does not exist for this tenant (or belongs to another one: the answer is the same). */
    public static ApiException notFound(String what) {
        return new ApiException(StatusCode.NOT_FOUND, what + " not found");
    }

    public static ApiException forbidden(String why) {
        return new ApiException(StatusCode.FORBIDDEN, why);
    }
}
