package io.callcenter.call;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Call records. Errors are RFC 9457 problem details. */
@RestController
@RequestMapping("/api/calls")
class CallController {

    private static final int MAX_LIMIT = 200;

    private final CallRepository calls;

    CallController(CallRepository calls) {
        this.calls = calls;
    }

    @GetMapping("/{id}")
    CallView call(@PathVariable UUID id) {
        return calls.find(id).orElseThrow(() -> new CallNotFound(id));
    }

    /** Newest first. {@code cursor} is the {@code nextCursor} of the previous page. */
    @GetMapping
    CallPage page(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        Cursor after = cursor == null ? null : Cursor.decode(cursor);
        List<CallView> items = calls.page(limit + 1, after == null ? null : after.createdAt(),
                after == null ? null : after.id());
        if (items.size() <= limit) {
            return new CallPage(items, null);
        }
        List<CallView> page = items.subList(0, limit);
        CallView last = page.getLast();
        return new CallPage(List.copyOf(page), new Cursor(last.createdAt(), last.id()).encode());
    }

    @ExceptionHandler(CallNotFound.class)
    ProblemDetail notFound(CallNotFound e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Call not found");
        return problem;
    }

    @ExceptionHandler(BadRequest.class)
    ProblemDetail badRequest(BadRequest e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid request");
        return problem;
    }

    /** Opaque to clients; (created_at, id) of the last row seen. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String value) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw new BadRequest("cursor is not one this API returned");
            }
        }
    }

    static final class CallNotFound extends RuntimeException {
        CallNotFound(UUID id) {
            super("No call with id " + id);
        }
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
