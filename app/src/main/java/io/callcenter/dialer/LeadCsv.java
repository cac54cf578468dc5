package io.callcenter.dialer;

import io.callcenter.routing.PhoneNumbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a lead list (RFC 4180 CSV with a header row): {@code phone} is required; {@code name},
 * {@code external_id} (or {@code lead_id}) and {@code timezone} are optional. Every row is either accepted with its
 * number in E.164 or rejected with its line number and why; rows for a number seen earlier merge into the first.
 */
public final class LeadCsv {

    public record Row(int line, String e164, String name, String externalId, String timeZone) {
    }

    public record Rejected(int line, String value, String reason) {
    }

    public record Parsed(List<Row> accepted, List<Rejected> rejected, int merged) {
    }

    private static final int MAX_ROWS = 100_000;

    private LeadCsv() {
    }

    public static Parsed parse(String text, String defaultRegion) {
        List<List<String>> records = records(text);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the lead list is empty: a header row with at least 'phone' is needed");
        }
        Map<String, Integer> columns = header(records.getFirst());
        if (records.size() - 1 > MAX_ROWS) {
            throw new IllegalArgumentException("at most " + MAX_ROWS + " leads per upload");
        }
        Map<String, Row> byNumber = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        int merged = 0;
        for (int i = 1; i < records.size(); i++) {
            List<String> record = records.get(i);
            int line = lineOf(records, i);
            if (record.size() == 1 && record.getFirst().isBlank()) {
                continue;
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
            Row row = new Row(line, e164.get(), cell(record, columns.get("name")), cell(record, columns.get("external_id")), zone);
            Row first = byNumber.putIfAbsent(row.e164(), row);
            if (first != null) {
                merged++;
                byNumber.put(row.e164(), new Row(first.line(), first.e164(), firstNonNull(first.name(), row.name()),
                        firstNonNull(first.externalId(), row.externalId()), firstNonNull(first.timeZone(), row.timeZone())));
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

    /** Line numbers as a spreadsheet shows them; a quoted cell may span lines, so they are counted while reading. */
    private static int lineOf(List<List<String>> records, int index) {
        return ((LineRecord) records.get(index)).line;
    }

    private static final class LineRecord extends ArrayList<String> {
        final int line;

        LineRecord(int line) {
            this.line = line;
        }
    }

    private static List<List<String>> records(String text) {
        List<List<String>> records = new ArrayList<>();
        int line = 1;
        LineRecord record = new LineRecord(line);
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(cell.toString());
                cell.setLength(0);
                records.add(record);
                line++;
                record = new LineRecord(line);
                any = false;
            } else {
                cell.append(c);
            }
        }
        if (any || !cell.isEmpty() || !record.isEmpty()) {
            record.add(cell.toString());
            records.add(record);
        }
        return records;
    }
}
