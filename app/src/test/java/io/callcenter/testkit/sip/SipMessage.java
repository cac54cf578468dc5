package io.callcenter.testkit.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A SIP request or response (RFC 3261 §7): start line, ordered headers, body. Not thread-safe; build then send. */
public final class SipMessage {

    /** RFC 3261 §7.3.3 compact forms; peers may use them to squeeze messages under the UDP MTU. */
    private static final Map<String, String> COMPACT = Map.ofEntries(
            Map.entry("i", "Call-ID"), Map.entry("m", "Contact"), Map.entry("e", "Content-Encoding"),
            Map.entry("l", "Content-Length"), Map.entry("c", "Content-Type"), Map.entry("f", "From"),
            Map.entry("s", "Subject"), Map.entry("k", "Supported"), Map.entry("t", "To"), Map.entry("v", "Via"),
            Map.entry("r", "Refer-To"), Map.entry("b", "Referred-By"), Map.entry("o", "Event"),
            Map.entry("u", "Allow-Events"), Map.entry("x", "Session-Expires"));

    /** Headers whose comma-separated values are separate entries (RFC 3261 §7.3.1); auth headers are not. */
    private static final List<String> LIST_HEADERS = List.of("via", "route", "record-route", "contact", "allow",
            "supported", "require", "proxy-require", "unsupported", "allow-events");

    private final String method;
    private final String requestUri;
    private final int status;
    private final String reason;
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    /** Made up locally (a timeout reported as 408), never seen on the wire. */
    boolean local;

    private SipMessage(String method, String requestUri, int status, String reason) {
        this.method = method;
        this.requestUri = requestUri;
        this.status = status;
        this.reason = reason;
    }

    public static SipMessage request(String method, String requestUri) {
        return new SipMessage(method, requestUri, 0, null);
    }

    public static SipMessage response(int status, String reason) {
        return new SipMessage(null, null, status, reason);
    }

    public static SipMessage parse(byte[] data, int length) {
        int headerEnd = -1;
        int bodyStart = -1;
        for (int i = 0; i + 1 < length; i++) {
            if (data[i] == '\n' && data[i + 1] == '\n') {
                headerEnd = i;
                bodyStart = i + 2;
                break;
            }
            if (i + 3 < length && data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                headerEnd = i;
                bodyStart = i + 4;
                break;
            }
        }
        if (headerEnd < 0) {
            headerEnd = length;
            bodyStart = length;
        }
        String head = new String(data, 0, headerEnd, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String line : head.split("\r?\n")) {
            // Header folding (RFC 3261 §7.3.1): a line starting with whitespace continues the previous one.
            if (!lines.isEmpty() && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                lines.set(lines.size() - 1, lines.getLast() + " " + line.strip());
            } else if (!line.isEmpty() || !lines.isEmpty()) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty message");
        }
        String start = lines.getFirst().strip();
        SipMessage message;
        if (start.startsWith("SIP/2.0 ")) {
            String rest = start.substring(8);
            int space = rest.indexOf(' ');
            int code = Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
            message = response(code, space < 0 ? "" : rest.substring(space + 1));
        } else {
            String[] parts = start.split(" ");
            if (parts.length != 3 || !parts[2].equals("SIP/2.0")) {
                throw new IllegalArgumentException("bad start line: " + start);
            }
            message = request(parts[0], parts[1]);
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            message.add(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        int available = Math.max(0, length - bodyStart);
        String contentLength = message.header("Content-Length");
        int bodyLength = available;
        if (contentLength != null) {
            // Over UDP the datagram bounds the message; Content-Length may only shorten it (RFC 3261 §18.3).
            bodyLength = Math.min(available, Integer.parseInt(contentLength.strip()));
        }
        byte[] body = new byte[bodyLength];
        System.arraycopy(data, bodyStart, body, 0, bodyLength);
        message.body = body;
        return message;
    }

    public boolean isRequest() {
        return method != null;
    }

    public String method() {
        return method;
    }

    public String requestUri() {
        return requestUri;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public SipMessage body(String contentType, String text) {
        set("Content-Type", contentType);
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    static String canonical(String name) {
        String full = COMPACT.get(name.toLowerCase(Locale.ROOT));
        return full != null ? full : name;
    }

    public SipMessage add(String name, String value) {
        headers.add(new String[] {canonical(name), value});
        return this;
    }

    public SipMessage set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    public SipMessage remove(String name) {
        String full = canonical(name);
        headers.removeIf(h -> h[0].equalsIgnoreCase(full));
        return this;
    }

    /** First value of the header (for list headers the first element, e.g. the top Via), or null. */
    public String header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? null : values.getFirst();
    }

    /** All values in order; list headers are split at top-level commas so that each Via/Route is one entry. */
    public List<String> headerValues(String name) {
        String full = canonical(name);
        boolean list = LIST_HEADERS.contains(full.toLowerCase(Locale.ROOT));
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(full)) {
                if (list) {
                    values.addAll(splitList(h[1]));
                } else {
                    values.add(h[1]);
                }
            }
        }
        return values;
    }

    /** Raw header lines, unsplit, for copying lists such as Via into a response unchanged. */
    List<String> rawHeaders(String name) {
        String full = canonical(name);
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(full)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    static List<String> splitList(String value) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depth++;
            } else if (!quoted && c == '>') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                String part = value.substring(start, i).strip();
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        String last = value.substring(start).strip();
        if (!last.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    public String callId() {
        return header("Call-ID");
    }

    public long cseq() {
        String cseq = header("CSeq");
        return cseq == null ? -1 : Long.parseLong(cseq.strip().split("\\s+")[0]);
    }

    public String cseqMethod() {
        String cseq = header("CSeq");
        return cseq == null ? null : cseq.strip().split("\\s+")[1];
    }

    /** Branch of the top Via: the transaction key of RFC 3261 §17.1.3 / §17.2.3. */
    public String branch() {
        String via = header("Via");
        return via == null ? null : param(via, "branch");
    }

    public String fromTag() {
        String from = header("From");
        return from == null ? null : param(from, "tag");
    }

    public String toTag() {
        String to = header("To");
        return to == null ? null : param(to, "tag");
    }

    /**
     * A header parameter: after the closing '&gt;' of a name-addr, or after the first ';' otherwise (for an
     * addr-spec without brackets, parameters belong to the header, not to the URI — RFC 3261 §20).
     */
    static String param(String headerValue, String name) {
        int close = headerValue.lastIndexOf('>');
        String params = close >= 0 ? headerValue.substring(close + 1) : headerValue;
        String[] parts = params.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq).strip();
            if (key.equalsIgnoreCase(name)) {
                String v = eq < 0 ? "" : p.substring(eq + 1).strip();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** The URI inside a name-addr ({@code "Bob" <sip:bob@host>;tag=1}) or a bare addr-spec. */
    static String uriOf(String nameAddr) {
        int open = nameAddr.indexOf('<');
        if (open >= 0) {
            int close = nameAddr.indexOf('>', open);
            return nameAddr.substring(open + 1, close < 0 ? nameAddr.length() : close).strip();
        }
        int semicolon = nameAddr.indexOf(';');
        return (semicolon < 0 ? nameAddr : nameAddr.substring(0, semicolon)).strip();
    }

    /** User part of a sip:/sips:/tel: URI, or null. */
    static String userOf(String uri) {
        String u = uri;
        int colon = u.indexOf(':');
        if (colon >= 0 && (u.startsWith("sip:") || u.startsWith("sips:") || u.startsWith("tel:"))) {
            u = u.substring(colon + 1);
        }
        if (uri.startsWith("tel:")) {
            int semicolon = u.indexOf(';');
            return semicolon < 0 ? u : u.substring(0, semicolon);
        }
        int at = u.indexOf('@');
        if (at < 0) {
            return null;
        }
        String user = u.substring(0, at);
        int semicolon = user.indexOf(';');
        int passwordColon = user.indexOf(':');
        int end = semicolon >= 0 ? semicolon : user.length();
        if (passwordColon >= 0 && passwordColon < end) {
            end = passwordColon;
        }
        return user.substring(0, end);
    }

    /** Host and port of a SIP URI, the port defaulting to 5060. */
    static java.net.InetSocketAddress hostPortOf(String uri) {
        String u = uri;
        int colon = u.indexOf(':');
        if (u.startsWith("sip:") || u.startsWith("sips:")) {
            u = u.substring(colon + 1);
        }
        int at = u.indexOf('@');
        if (at >= 0) {
            u = u.substring(at + 1);
        }
        int end = u.length();
        for (char c : new char[] {';', '?', '>'}) {
            int i = u.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        u = u.substring(0, end);
        String host = u;
        int port = 5060;
        int portColon = u.lastIndexOf(':');
        if (portColon > 0 && !u.endsWith("]")) {
            host = u.substring(0, portColon);
            port = Integer.parseInt(u.substring(portColon + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new java.net.InetSocketAddress(host, port);
    }

    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder();
        if (isRequest()) {
            sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
        } else {
            sb.append("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        }
        for (String[] h : headers) {
            if (!h[0].equalsIgnoreCase("Content-Length")) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** Start line plus CSeq, for compact traces. */
    public String summary() {
        String first = isRequest() ? method + " " + requestUri : status + " " + reason;
        return first + " (CSeq " + header("CSeq") + ", Call-ID " + callId() + ")";
    }

    // ------------------------------------------------------------------------------------- identifiers, reasons

    static String newBranch() {
        // The magic cookie marks RFC 3261 branches that are unique per transaction (§8.1.1.7).
        return "z9hG4bK" + newId().substring(0, 20);
    }

    static String newTag() {
        return newId().substring(0, 12);
    }

    static String newId() {
        byte[] bytes = new byte[16];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Trying";
            case 180 -> "Ringing";
            case 181 -> "Call Is Being Forwarded";
            case 182 -> "Queued";
            case 183 -> "Session Progress";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 482 -> "Loop Detected";
            case 484 -> "Address Incomplete";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 491 -> "Request Pending";
            case 500 -> "Server Internal Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Server Time-out";
            case 600 -> "Busy Everywhere";
            case 603 -> "Decline";
            case 604 -> "Does Not Exist Anywhere";
            case 606 -> "Not Acceptable";
            default -> status < 200 ? "Session Progress" : status < 300 ? "OK" : "Error";
        };
    }

    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}
