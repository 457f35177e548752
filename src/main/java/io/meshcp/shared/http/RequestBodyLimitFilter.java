package io.meshcp.shared.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.meshcp.shared.problems.BodyTooLargeException;
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
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds every request body, in front of everything else (security, parsing): a declared length over the path's
 * limit is answered 413 at once and the connection closed, without reading the body; a body of unknown length
 * (chunked) is read through a counter that fails the read past the limit, which the exception handlers answer 413.
 * So no body, however sent, can hold more memory than its endpoint needs.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long defaultLimit;

    private final Map<String, Long> limits;

    private final JsonMapper json = JsonMapper.builder().build();

    RequestBodyLimitFilter(long defaultLimit, List<RequestBodyLimit> limits) {
        this.defaultLimit = defaultLimit;
        this.limits = limits.stream().collect(Collectors.toUnmodifiableMap(RequestBodyLimit::path,
                RequestBodyLimit::maxBytes, Math::max));
    }

    long limitFor(String path) {
        return limits.getOrDefault(path, defaultLimit);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request.getRequestURI().substring(request.getContextPath().length()));
        if (request.getContentLengthLong() > limit) {
            // Closing spares the server from reading (swallowing) the body it refused.
            response.setHeader(HttpHeaders.CONNECTION, "close");
            ProblemResponses.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE,
                    BodyTooLargeException.message(limit)), json);
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    /** Reads of the body past {@code limit} bytes fail with {@link BodyTooLargeException}. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;

        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;

        private final long limit;

        private long read;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
