package io.callcenter.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the softphone page and the server must agree on, read once from {@code shared-contract.json} on the
 * classpath. The page's bundle imports the very same file (esbuild inlines it), so a header renamed or a code added
 * here reaches both sides in one change instead of drifting apart in two copies.
 */
public final class SharedContract {

    static final String RESOURCE = "/shared-contract.json";

    /** One way a call can end: agents pick the selectable ones in wrap-up; the system sets the others. */
    public record Disposition(String code, String label, boolean agentSelectable) {
    }

    /** SIP header on the INVITE to an agent's own phone: the softphone answers such a call by itself. */
    public static final String AUTO_ANSWER_HEADER;
    /** Most live parties of one call, the agent included: Add party stops there. */
    public static final int MAX_PARTIES;
    /** Every disposition code, in the order the page lists them. */
    public static final List<Disposition> DISPOSITIONS;

    static {
        JsonNode root = read();
        AUTO_ANSWER_HEADER = text(root, "autoAnswerHeader");
        MAX_PARTIES = root.path("maxParties").asInt(0);
        if (MAX_PARTIES < 2) {
            throw new IllegalStateException(RESOURCE + ": maxParties must be at least 2, is " + root.path("maxParties"));
        }
        List<Disposition> dispositions = new ArrayList<>();
        for (JsonNode d : root.path("dispositions")) {
            if (!d.path("agentSelectable").isBoolean()) {
                throw new IllegalStateException(RESOURCE + ": disposition " + d + " lacks agentSelectable");
            }
            dispositions.add(new Disposition(text(d, "code"), text(d, "label"), d.path("agentSelectable").asBoolean()));
        }
        if (dispositions.isEmpty()) {
            throw new IllegalStateException(RESOURCE + ": no dispositions");
        }
        DISPOSITIONS = List.copyOf(dispositions);
    }

    private SharedContract() {
    }

    public static Optional<Disposition> disposition(String code) {
        return DISPOSITIONS.stream().filter(d -> d.code().equals(code)).findFirst();
    }

    /** Whether an agent may give this code in wrap-up (unknown codes may not). */
    public static boolean agentSelectable(String code) {
        return disposition(code).map(Disposition::agentSelectable).orElse(false);
    }

    private static JsonNode read() {
        try (InputStream in = SharedContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static String text(JsonNode node, String field) {
        String value = node.path(field).asString("");
        if (value.isBlank()) {
            throw new IllegalStateException(RESOURCE + ": '" + field + "' missing in " + node);
        }
        return value;
    }
}
