package io.callcenter.routing;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The do-not-call list. Managers read it (they answer for what their team dials); changing it needs {@code dnc:2},
 * because a wrong removal exposes the company to complaints and fines. The list is company-wide, not per team.
 */
@RestController
@RequestMapping("/api/dnc")
class DncController {

    private static final int MAX_LIMIT = 500;
    /** Larger registries are imported in several requests: one request stays one bounded transaction. */
    private static final int MAX_IMPORT_LINES = 100_000;
    /** The answer lists at most this many rejected lines; the count is always complete. */
    private static final int MAX_REJECTED_LISTED = 1000;
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");

    private final DoNotCallList list;
    private final String defaultRegion;

    DncController(DoNotCallList list, @Value("${callcenter.calls.default-region:US}") String defaultRegion) {
        this.list = list;
        this.defaultRegion = defaultRegion;
    }

    record Page(List<DoNotCallList.Entry> items, String nextAfter) {
    }

    record AddRequest(String number, String reason) {
    }

    record ImportResult(String source, int added, int duplicates, int rejected, List<DncCsv.Rejected> rejectedLines,
                        boolean rejectedLinesTruncated) {
    }

    /** Ordered by number; {@code after} is the {@code nextAfter} of the previous page. */
    @GetMapping
    Page page(Caller caller, @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String after,
              @RequestParam(required = false) String q) {
        if (!caller.has(Permissions.TEAM_READ) && !caller.has(Permissions.DNC_WRITE)) {
            throw ApiProblem.forbidden("This needs the permission " + Permissions.TEAM_READ + " or " + Permissions.DNC_WRITE);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        // A search is by digits, whatever the manager typed around them ("(212) 555" finds +1212555...).
        String digits = q == null ? null : q.replaceAll("[^0-9]", "");
        if (q != null && !q.isBlank() && digits.isEmpty()) {
            throw ApiProblem.badRequest("q searches numbers: give some of its digits");
        }
        List<DoNotCallList.Entry> items = list.page(limit + 1, after, digits == null || digits.isEmpty() ? null : digits);
        if (items.size() <= limit) {
            return new Page(items, null);
        }
        List<DoNotCallList.Entry> page = List.copyOf(items.subList(0, limit));
        return new Page(page, page.getLast().e164());
    }

    /** 201 when the number is new, 200 with the existing entry when it was listed already. */
    @PostMapping
    ResponseEntity<DoNotCallList.Entry> add(Caller caller, @RequestBody AddRequest request) {
        caller.require(Permissions.DNC_WRITE);
        String e164 = e164(request.number());
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().strip();
        if (reason != null && reason.length() > 500) {
            throw ApiProblem.badRequest("reason is longer than 500 characters");
        }
        boolean added = list.add(e164, "internal", reason, caller.userId());
        DoNotCallList.Entry entry = list.find(e164).orElseThrow();
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK).body(entry);
    }

    @DeleteMapping("/{e164}")
    ResponseEntity<Void> remove(Caller caller, @PathVariable("e164") String number) {
        caller.require(Permissions.DNC_WRITE);
        String e164 = e164(number);
        if (!list.remove(e164)) {
            throw ApiProblem.notFound(e164 + " is not on the do-not-call list");
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * A CSV or plain list of numbers (see {@link DncCsv}). Valid numbers are added in one transaction; invalid lines
     * are reported by line number and skipped, so one typo does not block a registry of thousands.
     */
    @PostMapping(path = "/import", consumes = {"text/csv", "text/plain"})
    ImportResult importCsv(Caller caller, @RequestBody(required = false) String body,
                           @RequestParam(defaultValue = "import") String source) {
        caller.require(Permissions.DNC_WRITE);
        if (!SOURCE.matcher(source).matches()) {
            throw ApiProblem.badRequest("source must be 1-32 lower-case letters, digits, '.', '_' or '-', e.g. 'registry'");
        }
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("the body is empty: send one number per line, or CSV with a 'number' column");
        }
        if (body.lines().count() > MAX_IMPORT_LINES) {
            throw ApiProblem.badRequest("at most " + MAX_IMPORT_LINES + " lines per import; split the file");
        }
        DncCsv.Parsed parsed;
        try {
            parsed = DncCsv.parse(body, value -> PhoneNumbers.toE164(value, defaultRegion));
        } catch (DncCsv.NoNumberColumn e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "no-number-column", "No number column", e.getMessage());
        }
        int added = list.addAll(parsed.numbers(), source, null, caller.userId());
        int duplicates = parsed.duplicates() + parsed.numbers().size() - added;
        List<DncCsv.Rejected> rejected = parsed.rejected();
        return new ImportResult(source, added, duplicates, rejected.size(),
                rejected.size() > MAX_REJECTED_LISTED ? rejected.subList(0, MAX_REJECTED_LISTED) : rejected,
                rejected.size() > MAX_REJECTED_LISTED);
    }

    private String e164(String number) {
        return PhoneNumbers.toE164(number, defaultRegion).orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST,
                "invalid-number", "Invalid number", "'" + number + "' is not a valid phone number"));
    }
}
