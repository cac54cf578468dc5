package io.callcenter.testkit.sip;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The audio part of an SDP body (RFC 4566), and the one offer/answer shape we produce (RFC 3264). */
record Sdp(String connectionAddress, int audioPort, List<Integer> payloadTypes, Map<Integer, String> rtpmap,
           String direction) {

    static final int PCMU = 0;
    static final int PCMA = 8;
    static final int DEFAULT_TELEPHONE_EVENT = 101;

    static Sdp parse(String body) {
        String sessionConnection = null;
        String mediaConnection = null;
        int port = -1;
        List<Integer> pts = new ArrayList<>();
        Map<Integer, String> rtpmap = new LinkedHashMap<>();
        String direction = "sendrecv";
        boolean inAudio = false;
        boolean seenMedia = false;
        for (String raw : body.split("\r?\n")) {
            String line = raw.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                seenMedia = true;
                String[] parts = value.split("\\s+");
                // Only the first audio stream matters; a video line offered alongside is simply not answered.
                inAudio = parts[0].equals("audio") && port < 0;
                if (inAudio) {
                    port = Integer.parseInt(parts[1]);
                    for (int i = 3; i < parts.length; i++) {
                        pts.add(Integer.parseInt(parts[i]));
                    }
                }
            } else if (type == 'c') {
                String[] parts = value.split("\\s+");
                String address = parts[2].contains("/") ? parts[2].substring(0, parts[2].indexOf('/')) : parts[2];
                if (!seenMedia) {
                    sessionConnection = address;
                } else if (inAudio) {
                    mediaConnection = address;
                }
            } else if (type == 'a' && (inAudio || !seenMedia)) {
                if (value.startsWith("rtpmap:")) {
                    int space = value.indexOf(' ');
                    if (space > 0) {
                        rtpmap.put(Integer.parseInt(value.substring(7, space)), value.substring(space + 1).strip());
                    }
                } else if (value.equals("sendrecv") || value.equals("sendonly") || value.equals("recvonly")
                        || value.equals("inactive")) {
                    direction = value;
                }
            }
        }
        if (port < 0) {
            throw new IllegalArgumentException("SDP has no audio stream");
        }
        String address = mediaConnection != null ? mediaConnection : sessionConnection;
        return new Sdp(address, port, List.copyOf(pts), Map.copyOf(rtpmap), direction);
    }

    boolean offersPcmu() {
        if (payloadTypes.contains(PCMU)) {
            return true;
        }
        return rtpmap.entrySet().stream().anyMatch(e -> payloadTypes.contains(e.getKey())
                && e.getValue().toUpperCase(Locale.ROOT).startsWith("PCMU/8000"));
    }

    /** The payload type the peer numbered telephone-event with (dynamic, so it may not be 101), or -1. */
    int telephoneEventPt() {
        for (Map.Entry<Integer, String> e : rtpmap.entrySet()) {
            if (payloadTypes.contains(e.getKey()) && e.getValue().toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Where to send RTP, or null when the stream is rejected (port 0) or put on hold by a null address. */
    InetSocketAddress rtpTarget() {
        if (audioPort == 0 || connectionAddress == null || connectionAddress.equals("0.0.0.0")) {
            return null;
        }
        return new InetSocketAddress(connectionAddress, audioPort);
    }

    /**
     * Our offer, or our answer when {@code telephoneEventPt} comes from the offer. Only PCMU is listed so that the
     * peer never needs to transcode into something we cannot decode.
     */
    static String build(String address, int port, long sessionId, long version, int telephoneEventPt) {
        StringBuilder sb = new StringBuilder();
        sb.append("v=0\r\n");
        sb.append("o=- ").append(sessionId).append(' ').append(version).append(" IN IP4 ").append(address).append("\r\n");
        sb.append("s=sipkit\r\n");
        sb.append("c=IN IP4 ").append(address).append("\r\n");
        sb.append("t=0 0\r\n");
        sb.append("m=audio ").append(port).append(" RTP/AVP 0");
        if (telephoneEventPt >= 0) {
            sb.append(' ').append(telephoneEventPt);
        }
        sb.append("\r\n");
        sb.append("a=rtpmap:0 PCMU/8000\r\n");
        if (telephoneEventPt >= 0) {
            sb.append("a=rtpmap:").append(telephoneEventPt).append(" telephone-event/8000\r\n");
            sb.append("a=fmtp:").append(telephoneEventPt).append(" 0-16\r\n");
        }
        sb.append("a=ptime:20\r\n");
        sb.append("a=sendrecv\r\n");
        return sb.toString();
    }

    /**
     * What a request's body offers: nothing (no body: {@code sdp} null, acceptable), an offer we can take (PCMU), or
     * one we must refuse with 488 (unparseable, or no PCMU).
     */
    record Offer(Sdp sdp, boolean acceptable) {
        static Offer in(SipMessage request) {
            if (request.body().length == 0) {
                return new Offer(null, true);
            }
            try {
                Sdp sdp = parse(request.bodyText());
                return new Offer(sdp, sdp.offersPcmu());
            } catch (RuntimeException e) {
                return new Offer(null, false);
            }
        }
    }
}
