package io.membercard.common.error;

import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.lock.LockTimeoutException;
import io.membercard.common.lock.LockUnavailableException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Maps every failure to the contract's envelope: the right status code, the right HTTP status, a message naming
 * the field for bad input, and never a stack trace. Unexpected faults are logged with a reference the caller sees.
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> api(ApiException e) {
        return respond(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> violations(ConstraintViolationException e) {
        boolean ourFault = e.getConstraintViolations().stream().anyMatch(v -> {
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getKind() == ElementKind.RETURN_VALUE) {
                    return true;
                }
            }
            return false;
        });
        if (ourFault) {
            return unexpected(e);
        }
        String message = e.getConstraintViolations().stream()
                .map(ErrorMappers::describe)
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.joining("; "));
        return respond(StatusCode.BAD_REQUEST, message);
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> mismatchedInput(MismatchedInputException e) {
        String field = fieldPath(e);
        String expected = e.getTargetType() == null ? "a different type" : typeName(e.getTargetType());
        if (e instanceof InvalidFormatException invalid && invalid.getValue() != null) {
            if (e.getCause() instanceof ApiException refused && refused.status() == StatusCode.BAD_REQUEST
                    && refused.getMessage().contains(": ")) {
                // A deserializer of ours said what is wrong ("name: problem"); the field is named by its path here.
                String problem = refused.getMessage().substring(refused.getMessage().indexOf(": ") + 2);
                return respond(StatusCode.BAD_REQUEST, field + ": " + problem);
            }
            return respond(StatusCode.BAD_REQUEST, field + ": must be " + expected);
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (!field.isEmpty() && (original.startsWith("Cannot map `null`") || original.contains("Missing"))) {
            return respond(StatusCode.BAD_REQUEST, field + ": is required");
        }
        return respond(StatusCode.BAD_REQUEST, field.isEmpty()
                ? "request body must be a JSON object"
                : field + ": must be " + expected);
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> jsonMapping(JsonMappingException e) {
        String field = fieldPath(e);
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof com.fasterxml.jackson.core.JsonParseException unreadable) {
                // Text that is no JSON inside a field: where, never what (it may be a secret sent unquoted).
                var at = unreadable.getLocation();
                String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
                return respond(StatusCode.BAD_REQUEST, field.isEmpty()
                        ? "malformed JSON body" + where
                        : field + ": is not a JSON value" + where);
            }
        }
        String reason = e.getOriginalMessage() == null ? "invalid value" : firstLine(e.getOriginalMessage());
        return respond(StatusCode.BAD_REQUEST, field.isEmpty() ? "malformed JSON body" : field + ": " + reason);
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> malformedJson(JsonProcessingException e) {
        // Where, never what: the parser's message quotes the offending text, which may be a secret sent unquoted.
        var at = e.getLocation();
        return respond(StatusCode.BAD_REQUEST, "malformed JSON body"
                + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> unauthorized(UnauthorizedException e) {
        return respond(StatusCode.UNAUTHORIZED, "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> authenticationFailed(AuthenticationFailedException e) {
        return respond(StatusCode.UNAUTHORIZED, "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> forbidden(ForbiddenException e) {
        return respond(StatusCode.FORBIDDEN, "your role does not allow this operation");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> lockTimeout(LockTimeoutException e) {
        return respond(StatusCode.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> lockUnavailable(LockUnavailableException e) {
        LOG.warnf("lock service unavailable: %s", e.getMessage());
        return respond(StatusCode.INTERNAL, "the card lock service is unavailable; nothing was changed, try again");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> noSuchPath(NotFoundException e) {
        return respond(StatusCode.NOT_FOUND, "no such path");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> methodNotAllowed(NotAllowedException e) {
        return respond(StatusCode.METHOD_NOT_ALLOWED, "method not allowed on this path");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> unsupportedMediaType(NotSupportedException e) {
        return respond(StatusCode.BAD_REQUEST, "body must be sent as application/json");
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> web(WebApplicationException e) {
        // The JSON reader wraps Jackson's failures; answer them as what they are.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MismatchedInputException mismatched) {
                return mismatchedInput(mismatched);
            }
            if (cause instanceof JsonMappingException mapping) {
                return jsonMapping(mapping);
            }
            if (cause instanceof JsonProcessingException processing) {
                return malformedJson(processing);
            }
        }
        int http = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (http >= 500) {
            return unexpected(e);
        }
        StatusCode code = switch (http) {
            case 401 -> StatusCode.UNAUTHORIZED;
            case 403 -> StatusCode.FORBIDDEN;
            case 404 -> StatusCode.NOT_FOUND;
            case 405 -> StatusCode.METHOD_NOT_ALLOWED;
            case 409 -> StatusCode.CONFLICT;
            default -> StatusCode.BAD_REQUEST;
        };
        return respond(code, code == StatusCode.BAD_REQUEST ? "invalid request" : code.defaultMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> unexpected(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return respond(StatusCode.INTERNAL, "internal error, reference " + reference);
    }

    static RestResponse<ApiResponse<Void>> respond(StatusCode code, String message) {
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(code.httpStatus())
                .entity(ApiResponse.failure(code, message))
                .type("application/json")
                .build();
    }

    /** {@code field: message}, with the field as the client sent it ({@code details[0].money}, not the Java path). */
    private static String describe(ConstraintViolation<?> violation) {
        String method = null;
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                method = node.getName();
            } else if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                break;
            }
        }
        String full = violation.getPropertyPath().toString();
        String field = full;
        if (method != null && parameter != null) {
            String prefix = method + "." + parameter;
            if (full.equals(prefix)) {
                field = parameter;
            } else if (full.startsWith(prefix + ".")) {
                field = full.substring(prefix.length() + 1);
            } else if (full.startsWith(prefix)) {
                field = parameter + full.substring(prefix.length());
            }
        }
        if ("body".equals(field)) {
            return "request body " + violation.getMessage();
        }
        return field.isEmpty() ? violation.getMessage() : field + ": " + violation.getMessage();
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == java.math.BigDecimal.class || type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == java.time.Instant.class) {
            return "a date as yyyy-MM-dd HH:mm:ss";
        }
        return "an object";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
