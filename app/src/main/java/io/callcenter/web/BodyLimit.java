package io.callcenter.web;

import org.springframework.http.HttpStatus;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read as it arrives, refused with 413 problem+json once it passes its limit: an endpoint reading
 * a body whole would otherwise let one client fill the memory. A declared Content-Length past the limit is refused
 * before anything is read.
 */
public final class BodyLimit {

    private BodyLimit() {
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(HttpStatus.valueOf(413), "body-too-large", "Request body too large", detail);
    }

    /** The body, refusing at once if it says it is too large, and while reading if it turns out to be. */
    public static InputStream of(jakarta.servlet.http.HttpServletRequest request, long limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge("at most " + limit + " bytes are accepted here; this body has " + declared);
        }
        return limited(request.getInputStream(), limit);
    }

    public static InputStream limited(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b != -1) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(long n) {
                read += n;
                if (read > limit) {
                    throw tooLarge("at most " + limit + " bytes are accepted here");
                }
            }
        };
    }

    /** The whole body as bytes, for small bodies only (a webhook). */
    public static byte[] readSmall(jakarta.servlet.http.HttpServletRequest request, int limit) throws IOException {
        try (InputStream in = of(request, limit)) {
            return in.readAllBytes();
        }
    }
}
