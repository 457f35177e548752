package io.meshcp.shared.problems;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.LogSafe;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.limits.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where exceptions of the REST API become RFC 9457 problem details. Every problem gets a
 * stable {@link ProblemType}; validation problems name each field. Dashboard controllers are not
 * {@code @RestController}s and keep their HTML error pages.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** This node's own budget of logged stack traces, whatever other nodes log. */
    private final RateLimiter stackTraces = RateLimiter.inMemory();

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(UnauthenticatedException.class)
    ProblemDetail unauthenticated(UnauthenticatedException e) {
        return Problems.of(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHENTICATED, e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return Problems.of(HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return Problems.of(HttpStatus.CONFLICT, ProblemType.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(VersionMismatchException.class)
    ResponseEntity<ProblemDetail> versionMismatch(VersionMismatchException e) {
        if (e.given() == null) {
            return ResponseEntity.status(HttpStatus.PRECONDITION_REQUIRED).body(Problems.of(
                    HttpStatus.PRECONDITION_REQUIRED, ProblemType.PRECONDITION_REQUIRED,
                    "Send If-Match with the ETag of the version you read (currently " + e.current() + ")."));
        }
        ProblemDetail problem = Problems.of(HttpStatus.PRECONDITION_FAILED, ProblemType.PRECONDITION_FAILED,
                "Someone else saved first: you sent " + e.given() + ", the current version is " + e.current()
                        + ". Read it again and reapply your change.");
        problem.setProperty("currentVersion", e.current());
        return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).eTag(e.current()).body(problem);
    }

    @ExceptionHandler(RetryLaterException.class)
    ResponseEntity<ProblemDetail> retryLater(RetryLaterException e) {
        return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(ProblemResponses.problem(e));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ProblemDetail payloadTooLarge(PayloadTooLargeException e) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(MisdirectedRequestException.class)
    ProblemDetail misdirected(MisdirectedRequestException e) {
        return Problems.of(HttpStatus.MISDIRECTED_REQUEST, ProblemType.MISDIRECTED_REQUEST, e.getMessage());
    }

    /** A body of undeclared length that went past its endpoint's limit while it was read. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Object> bodyTooLarge(BodyTooLargeException e) {
        return tooLarge(e);
    }

    /** The rest of the body is not worth reading: the connection closes after the answer. */
    private static ResponseEntity<Object> tooLarge(BodyTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE, e.getMessage()));
    }

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException e) {
        return Problems.validation(e.errors());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraintViolations(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new FieldError(violation.getPropertyPath().toString(), violation.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return Problems.validation(errors);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        return Problems.of(HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN, "This caller may not do that.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return Problems.validation(List.of(new FieldError(e.getName(), expected(e.getRequiredType()))));
    }

    /**
     * What a value of {@code type} must look like, for a value that did not: an enum's accepted values, an
     * instant's zone (the most common mistake with times), or the kind of value.
     */
    static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type or format";
        }
        if (type.isEnum()) {
            return "must be one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name()).toList());
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "must be an ISO-8601 instant with its zone, such as 2026-12-12T19:45:00Z or "
                    + "2026-12-12T20:45:00+01:00: a date and time without Z or an offset names no instant";
        }
        if (type == UUID.class) {
            return "must be a UUID, such as 3f5bd37a-81ec-4c6c-819c-132f978c7ee1";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        return "has the wrong type or format";
    }

    // The pool gave no connection in time, or the server went away: the request may succeed on another node or later.
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnreachable(RuntimeException e, HttpServletRequest request) {
        if (!DatabaseAvailability.isConnectionFailure(e)) {
            return ResponseEntity.internalServerError().body(unexpected(e, request));
        }
        log.warn("Database unreachable: {}", LogSafe.text(e.getMessage()));
        return retryLater(DatabaseAvailability.unavailable());
    }

    /** {@link UnstorableText}; any other integrity violation is still unexpected. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrityViolation(DataIntegrityViolationException e, HttpServletRequest request) {
        if (!UnstorableText.causes(e)) {
            return ResponseEntity.internalServerError().body(unexpected(e, request));
        }
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, ProblemType.MALFORMED_REQUEST,
                "The request holds text that cannot be stored, such as a NUL character."));
    }


    /** A Content-Type whose parameters do not parse, such as an empty or unknown charset. */
    @ExceptionHandler(InvalidMediaTypeException.class)
    ProblemDetail invalidMediaType(InvalidMediaTypeException e) {
        return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "The Content-Type is not a valid media type with a known charset.");
    }

    /** A query parameter that is not valid percent-encoded UTF-8: the container could not decode it. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameter(InvalidParameterException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, ProblemType.MALFORMED_REQUEST,
                "The query string is not valid percent-encoded UTF-8.");
    }

    /**
     * One log line with a correlation id that the answer carries too, the exception's message made safe (it may hold
     * what the client sent); the stack trace only while this node has logged fewer than about one a second, so a
     * client that found a way to cause errors cannot fill the disk with them.
     */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        String correlationId = Tokens.random(12);
        String line = "Unexpected error " + correlationId + " in " + request.getMethod() + " "
                + LogSafe.text(request.getRequestURI()) + ": " + e.getClass().getName() + ": "
                + LogSafe.text(e.getMessage());
        if (stackTraces.take("stack-traces", 1).isZero()) {
            log.error(line, e);
        }
        else {
            log.error(line);
        }
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemType.INTERNAL,
                "An unexpected error occurred; it has been logged as " + correlationId + ".");
        problem.setProperty("correlationId", correlationId);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                .toList();
        return ResponseEntity.badRequest().body(Problems.validation(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldError(parameterName(result), error.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(Problems.validation(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge);
            }
        }
        // Name the field when the JSON was well formed but a value had the wrong type or was unknown.
        if (ex.getCause() instanceof DatabindException binding && !binding.getPath().isEmpty()) {
            String message = binding instanceof UnrecognizedPropertyException ? "is not a known field"
                    : binding instanceof MismatchedInputException mismatch ? expected(mismatch.getTargetType())
                    : "has the wrong type or format";
            return ResponseEntity.badRequest()
                    .body(Problems.validation(List.of(new FieldError(path(binding.getPath()), message))));
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, ProblemType.MALFORMED_REQUEST,
                "The request body is not valid JSON of the expected shape.");
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(ProblemType.forStatus(statusCode.value()).uri());
        }
        return response;
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parameterName(ParameterValidationResult result) {
        String name = result.getMethodParameter().getParameterName();
        return name == null ? "parameter" : name;
    }
}
