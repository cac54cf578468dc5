package io.callcenter.testkit.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP digest authentication as SIP uses it (RFC 2617 / RFC 3261 §22.4), MD5 with or without qop=auth. */
public final class DigestAuth {

    private DigestAuth() {
    }

    /** One WWW-Authenticate / Proxy-Authenticate challenge. */
    public record Challenge(String realm, String nonce, String opaque, String algorithm, List<String> qop,
                            boolean stale) {

        /** Parses {@code Digest realm="x", nonce="y", qop="auth,auth-int", ...}; null when not a digest challenge. */
        public static Challenge parse(String header) {
            String value = header.strip();
            if (!value.regionMatches(true, 0, "Digest", 0, 6)) {
                return null;
            }
            Map<String, String> params = parseParams(value.substring(6));
            List<String> qop = new ArrayList<>();
            String qopValue = params.get("qop");
            if (qopValue != null) {
                for (String q : qopValue.split(",")) {
                    if (!q.isBlank()) {
                        qop.add(q.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return new Challenge(params.getOrDefault("realm", ""), params.getOrDefault("nonce", ""),
                    params.get("opaque"), params.getOrDefault("algorithm", "MD5"), List.copyOf(qop),
                    "true".equalsIgnoreCase(params.get("stale")));
        }

        /** Algorithms we can answer; a server offering several challenges lets us pick one of these. */
        public boolean supported() {
            return javaAlgorithm() != null && (qop.isEmpty() || qop.contains("auth"));
        }

        String javaAlgorithm() {
            String a = algorithm.toUpperCase(Locale.ROOT);
            return switch (a) {
                case "MD5", "MD5-SESS" -> "MD5";
                case "SHA-256", "SHA-256-SESS" -> "SHA-256";
                default -> null;
            };
        }
    }

    /**
     * The request-digest. With qop the client nonce and nonce count are mixed in so that the server can detect
     * replays; without qop (RFC 2069 compatibility) only the server nonce protects the response.
     */
    public static String response(Challenge challenge, String username, String password, String method, String uri,
                                  String nc, String cnonce) {
        String hash = challenge.javaAlgorithm();
        String ha1 = hex(hash, username + ":" + challenge.realm() + ":" + password);
        if (challenge.algorithm().toUpperCase(Locale.ROOT).endsWith("-SESS")) {
            ha1 = hex(hash, ha1 + ":" + challenge.nonce() + ":" + cnonce);
        }
        String ha2 = hex(hash, method + ":" + uri);
        if (challenge.qop().contains("auth")) {
            return hex(hash, ha1 + ":" + challenge.nonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        }
        return hex(hash, ha1 + ":" + challenge.nonce() + ":" + ha2);
    }

    /** The Authorization / Proxy-Authorization header value answering {@code challenge}. */
    public static String authorization(Challenge challenge, String username, String password, String method,
                                       String uri, int nonceCount, String cnonce) {
        String nc = String.format("%08x", nonceCount);
        boolean withQop = challenge.qop().contains("auth");
        StringBuilder sb = new StringBuilder("Digest ");
        sb.append("username=\"").append(username).append('"');
        sb.append(", realm=\"").append(challenge.realm()).append('"');
        sb.append(", nonce=\"").append(challenge.nonce()).append('"');
        sb.append(", uri=\"").append(uri).append('"');
        sb.append(", response=\"").append(response(challenge, username, password, method, uri, nc, cnonce)).append('"');
        sb.append(", algorithm=").append(challenge.algorithm());
        if (withQop) {
            // qop and nc are tokens, not quoted strings (RFC 2617 §3.2.2); some servers reject quoted ones.
            sb.append(", cnonce=\"").append(cnonce).append('"');
            sb.append(", qop=auth, nc=").append(nc);
        }
        if (challenge.opaque() != null) {
            sb.append(", opaque=\"").append(challenge.opaque()).append('"');
        }
        return sb.toString();
    }

    static Map<String, String> parseParams(String s) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String value;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    sb.append(s.charAt(i++));
                }
                i++;
                value = sb.toString();
            } else {
                int end = s.indexOf(',', i);
                if (end < 0) {
                    end = n;
                }
                value = s.substring(i, end).strip();
                i = end;
            }
            params.put(key, value);
        }
        return params;
    }

    static String hex(String algorithm, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
