package io.callcenter.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a do-not-call import: either one number per line, or a CSV whose header has a {@code number} column
 * (registries ship extra columns such as dates and states). A first line without any digit is taken as the header,
 * since no phone number lacks digits. Quoted fields follow RFC 4180 within a line; records spanning lines are not
 * supported (no registry format needs them).
 */
final class DncCsv {

    record Rejected(int line, String value, String reason) {
    }

    /**
     * @param numbers    valid numbers in E.164, first occurrence order, each once
     * @param duplicates lines whose number appeared earlier in the same file
     */
    record Parsed(List<String> numbers, int duplicates, List<Rejected> rejected) {
    }

    static final class NoNumberColumn extends IllegalArgumentException {
        NoNumberColumn(String header) {
            super("the header line '" + header + "' has no 'number' column");
        }
    }

    private DncCsv() {
    }

    static Parsed parse(String text, Function<String, Optional<String>> toE164) {
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r\n|\n|\r", -1);
        int column = 0;
        boolean headerSeen = false;
        Set<String> numbers = new LinkedHashSet<>();
        int duplicates = 0;
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = cells(line);
            if (!headerSeen) {
                headerSeen = true;
                if (line.chars().noneMatch(Character::isDigit)) {
                    column = indexOfNumberColumn(cells);
                    if (column < 0) {
                        throw new NoNumberColumn(line.strip());
                    }
                    continue;
                }
            }
            int lineNumber = i + 1;
            if (column >= cells.size() || cells.get(column).isBlank()) {
                rejected.add(new Rejected(lineNumber, line.strip(), "no number on this line"));
                continue;
            }
            String value = cells.get(column).strip();
            Optional<String> e164 = toE164.apply(value);
            if (e164.isEmpty()) {
                rejected.add(new Rejected(lineNumber, value, "not a valid phone number"));
            } else if (!numbers.add(e164.get())) {
                duplicates++;
            }
        }
        return new Parsed(List.copyOf(numbers), duplicates, List.copyOf(rejected));
    }

    private static int indexOfNumberColumn(List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().toLowerCase(Locale.ROOT).equals("number")) {
                return i;
            }
        }
        return -1;
    }

    /** One line split at commas (or semicolons, as spreadsheets in many locales export), quotes honoured. */
    static List<String> cells(String line) {
        char separator = line.indexOf(',') < 0 && line.indexOf(';') >= 0 ? ';' : ',';
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
