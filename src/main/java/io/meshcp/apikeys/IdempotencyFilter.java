package io.meshcp.apikeys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.problems.BodyTooLargeException;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.ProblemResponses;
import io.meshcp.shared.problems.ProblemType;
import io.meshcp.shared.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on the REST API's POSTs (draft-ietf-httpapi-idempotency-key-header): a client that retries
 * a create after a timeout gets the first attempt's answer again, never a second stream or live event.
 * <ul>
 * <li>The first request with a key claims it (per organisation) and runs; its answer, success or refusal, is kept
 * 24 hours. A 5xx is not kept: the retry runs again.</li>
 * <li>The same key with the same request (method, path, query and body) replays the kept answer, marked
 * {@code Idempotent-Replayed: true}.</li>
 * <li>The same key with another request is refused (422), and while the first is still running a retry is told
 * to wait (409 with Retry-After).</li>
 * <li>An answer marked {@code Cache-Control: no-store} holds a secret shown once (a new key, an invitation link):
 * it is not kept, and a retry gets 409 with the first answer's Location instead.</li>
 * </ul>
 * Runs after the bearer filter, so the key belongs to the caller's organisation. Not a bean, like that filter.
 */
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final IdempotentRequests requests;

    private final JsonMapper json;

    IdempotencyFilter(IdempotentRequests requests, JsonMapper json) {
        this.requests = requests;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER).strip();
        if (!KEY.matcher(key).matches()) {
            refuse(response, Problems.validation(List.of(new FieldError(HEADER,
                    "must be 1 to 255 visible ASCII characters, such as a UUID"))));
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        }
        catch (BodyTooLargeException e) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            refuse(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE,
                    e.getMessage()));
            return;
        }
        UUID tenantId = Caller.tenantId();
        byte[] hash = hash(request, body);
        Optional<IdempotentRequests.Seen> seen;
        try {
            seen = requests.claim(tenantId, key, hash);
        }
        catch (RuntimeException e) {
            if (!DatabaseAvailability.isConnectionFailure(e)) {
                throw e;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, "2");
            refuse(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.UNAVAILABLE,
                    "The database cannot be reached at the moment; send the request again."));
            return;
        }
        if (seen.isPresent()) {
            answerAgain(seen.get(), hash, response);
            return;
        }
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try {
            chain.doFilter(new WithBody(request, body), captured);
            if (captured.getStatus() < 500 && holdsSecret(captured)) {
                // A new key's secret or an invitation's link is shown once and stored nowhere, this table included:
                // a retry learns that the first request succeeded, and where its result is, but not the secret.
                requests.complete(tenantId, key, HttpStatus.CONFLICT.value(), MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        captured.getHeader(HttpHeaders.LOCATION), null, ProblemResponses.body(Problems.of(
                                HttpStatus.CONFLICT, ProblemType.CONFLICT, "The first request with this Idempotency-Key "
                                        + "succeeded (Location says where its result is), but its answer held a secret "
                                        + "that is shown only once and so was not kept. Revoke or rotate what it "
                                        + "created if the secret was lost."), json));
                kept = true;
            }
            else if (captured.getStatus() < 500) {
                requests.complete(tenantId, key, captured.getStatus(), captured.getContentType(),
                        captured.getHeader(HttpHeaders.LOCATION), captured.getHeader(HttpHeaders.ETAG),
                        captured.getContentAsByteArray());
                kept = true;
            }
        }
        finally {
            if (!kept) {
                requests.release(tenantId, key);
            }
            captured.copyBodyToResponse();
        }
    }

    /** A success marked {@code Cache-Control: no-store}: it holds a secret, which no store may keep. */
    private static boolean holdsSecret(HttpServletResponse response) {
        String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
        return response.getStatus() < 300 && cacheControl != null && cacheControl.contains("no-store");
    }

    private void answerAgain(IdempotentRequests.Seen seen, byte[] hash, HttpServletResponse response)
            throws IOException {
        if (!Arrays.equals(seen.requestHash(), hash)) {
            ProblemDetail reused = Problems.validation(List.of(new FieldError(HEADER, "was used for a different "
                    + "request in the last 24 hours; send a new key with a new request")));
            reused.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            refuse(response, reused);
            return;
        }
        if (seen.status() == null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            refuse(response, Problems.of(HttpStatus.CONFLICT, ProblemType.CONFLICT, "The first request with this "
                    + "Idempotency-Key is still being processed; send it again in a moment for its answer."));
            return;
        }
        response.setStatus(seen.status());
        response.setHeader("Idempotent-Replayed", "true");
        if (seen.contentType() != null) {
            response.setContentType(seen.contentType());
        }
        if (seen.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, seen.location());
        }
        if (seen.etag() != null) {
            response.setHeader(HttpHeaders.ETAG, seen.etag());
        }
        if (seen.body() != null) {
            response.getOutputStream().write(seen.body());
        }
    }

    private void refuse(HttpServletResponse response, ProblemDetail problem) throws IOException {
        ProblemResponses.write(response, problem, json);
    }

    /** The request as a key binds it: method, path, query and body. */
    private static byte[] hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String target = request.getMethod() + " " + request.getRequestURI()
                    + (request.getQueryString() == null ? "" : "?" + request.getQueryString()) + "\n";
            sha.update(target.getBytes(StandardCharsets.UTF_8));
            return sha.digest(body);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The request with its body read already, for the handlers to read again. */
    private static final class WithBody extends HttpServletRequestWrapper {

        private final byte[] body;

        WithBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is read already");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
