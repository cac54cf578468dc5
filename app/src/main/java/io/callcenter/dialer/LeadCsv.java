package io.callcenter.dialer;

import io.callcenter.routing.PhoneNumbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a lead list (RFC 4180 CSV with a header row): {@code phone} is required; {@code name},
 * {@code external_id} (or {@code lead_id}) and {@code timezone} are optional; any other column (notes, a plan, the last
 * order) is kept with the lead as one of its fields, shown to an agent who previews it. Every row is either accepted with its
 * number in E.164 or rejected with its line number and why; rows for a number seen earlier merge into the first.
 */
public final class LeadCsv {

    /** @param fields the list's other columns with a value (notes and the like), by lower-case header, in order */
    public record Row(int line, String e164, String name, String externalId, String timeZone, Map<String, String> fields) {
        public Row(int line, String e164, String name, String externalId, String timeZone) {
            this(line, e164, name, externalId, timeZone, Map.of());
        }
    }

    /** The columns a lead has a place for; every other column is one of its {@link Row#fields}. */
    private static final java.util.Set<String> KNOWN = java.util.Set.of("phone", "name", "external_id", "timezone");

    public record Rejected(int line, String value, String reason) {
    }

    public record Parsed(List<Row> accepted, List<Rejected> rejected, int merged) {
    }

    static final int MAX_ROWS = 100_000;
    /** No field of a lead list is longer; a longer one is not a lead list. */
    static final int MAX_CELL = 4_096;

    private LeadCsv() {
    }

    /** A list beyond the row cap or the size cap; refused while reading, before the rest is read. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message);
        }
    }

    public static Parsed parse(String text, String defaultRegion) {
        try {
            return parse(new java.io.StringReader(text), defaultRegion);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads the list as it streams in: one record at a time, so neither the body nor more than one row is held as
     * text, and a list past {@value #MAX_ROWS} rows (or a cell past {@value #MAX_CELL} characters) is refused at
     * that row.
     */
    public static Parsed parse(java.io.Reader text, String defaultRegion) throws java.io.IOException {
        Records records = new Records(new java.io.BufferedReader(text));
        LineRecord header = records.next();
        if (header == null) {
            throw new IllegalArgumentException("the lead list is empty: a header row with at least 'phone' is needed");
        }
        Map<String, Integer> columns = header(header);
        Map<String, Row> byNumber = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        int merged = 0;
        int rows = 0;
        for (LineRecord record = records.next(); record != null; record = records.next()) {
            int line = record.line;
            if (record.size() == 1 && record.getFirst().isBlank()) {
                continue;
            }
            if (++rows > MAX_ROWS) {
                throw new TooLarge("at most " + MAX_ROWS + " leads per upload (line " + line + " is past it)");
            }
            String phone = cell(record, columns.get("phone"));
            if (phone == null) {
                rejected.add(new Rejected(line, "", "no phone number"));
                continue;
            }
            var e164 = PhoneNumbers.toE164(phone, defaultRegion);
            if (e164.isEmpty()) {
                rejected.add(new Rejected(line, phone, "not a valid phone number"));
                continue;
            }
            String zone = cell(record, columns.get("timezone"));
            if (zone != null && CallingHours.parseZone(zone).isEmpty()) {
                rejected.add(new Rejected(line, zone, "unknown time zone (use an IANA name such as America/Chicago)"));
                continue;
            }
            if (zone == null && CallingHours.zonesOf(e164.get()).isEmpty()) {
                rejected.add(new Rejected(line, phone,
                        "the number's time zone cannot be derived: add a 'timezone' column so calling hours can be kept"));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> column : columns.entrySet()) {
                String value = KNOWN.contains(column.getKey()) ? null : cell(record, column.getValue());
                if (value != null) {
                    fields.put(column.getKey(), value);
                }
            }
            Row row = new Row(line, e164.get(), cell(record, columns.get("name")), cell(record, columns.get("external_id")), zone,
                    java.util.Collections.unmodifiableMap(fields));
            Row first = byNumber.putIfAbsent(row.e164(), row);
            if (first != null) {
                merged++;
                byNumber.put(row.e164(), new Row(first.line(), first.e164(), firstNonNull(first.name(), row.name()),
                        firstNonNull(first.externalId(), row.externalId()), firstNonNull(first.timeZone(), row.timeZone()),
                        first.fields().isEmpty() ? row.fields() : first.fields()));
            }
        }
        return new Parsed(List.copyOf(byNumber.values()), List.copyOf(rejected), merged);
    }

    private static Map<String, Integer> header(List<String> names) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace("\uFEFF", "");
            String canonical = switch (name) {
                case "phone", "number", "phone_number" -> "phone";
                case "external_id", "lead_id", "id" -> "external_id";
                case "timezone", "time_zone", "tz" -> "timezone";
                default -> name;
            };
            columns.putIfAbsent(canonical, i);
        }
        if (!columns.containsKey("phone")) {
            throw new IllegalArgumentException("the header row has no 'phone' column (found: " + String.join(", ", names) + ")");
        }
        return columns;
    }

    private static String cell(List<String> record, Integer column) {
        if (column == null || column >= record.size()) {
            return null;
        }
        String value = record.get(column).strip();
        return value.isEmpty() ? null : value;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static final class LineRecord extends ArrayList<String> {
        final int line;

        LineRecord(int line) {
            this.line = line;
        }
    }

    /** RFC 4180 records read one at a time; line numbers as a spreadsheet shows them (a quoted cell may span lines). */
    private static final class Records {
        private final java.io.Reader in;
        private int line = 1;
        private int pushedBack = -2;

        Records(java.io.Reader in) {
            this.in = in;
        }

        private int read() throws java.io.IOException {
            if (pushedBack != -2) {
                int c = pushedBack;
                pushedBack = -2;
                return c;
            }
            return in.read();
        }

        LineRecord next() throws java.io.IOException {
            LineRecord record = new LineRecord(line);
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int c = read(); c != -1; c = read()) {
                any = true;
                if (cell.length() > MAX_CELL) {
                    throw new TooLarge("a cell on line " + record.line + " is longer than " + MAX_CELL + " characters");
                }
                if (quoted) {
                    if (c == '"') {
                        int following = read();
                        if (following == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            pushedBack = following;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append((char) c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    record.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        int following = read();
                        if (following != '\n') {
                            pushedBack = following;
                        }
                    }
                    record.add(cell.toString());
                    line++;
                    return record;
                } else {
                    cell.append((char) c);
                }
            }
            if (any || !cell.isEmpty() || !record.isEmpty()) {
                record.add(cell.toString());
                return record;
            }
            return null;
        }
    }
}
