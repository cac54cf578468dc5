package io.callcenter.destination;

import io.callcenter.web.ApiProblem;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where a call can be sent, one concept everywhere (a DID, a schedule's open, closed and exceptional periods, a
 * menu's choices, a queue's overflow): stored as a kind and a target.
 */
public sealed interface Destination {

    Pattern SOUND = Pattern.compile("^sound:[A-Za-z0-9_/-]{1,100}$");
    Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");

    String kind();

    String target();

    /** An agent of the team, rung if free (else the caller hears that nobody is available). */
    record Agent(UUID agentId) implements Destination {
        public String kind() { return "agent"; }
        public String target() { return agentId.toString(); }
    }

    /** A queue: the caller waits with music for the queue's agents. */
    record Queue(UUID queueId) implements Destination {
        public String kind() { return "queue"; }
        public String target() { return queueId.toString(); }
    }

    /** A sound (an Asterisk sound name), then hang-up. */
    record Announcement(String media) implements Destination {
        public String kind() { return "announcement"; }
        public String target() { return media; }
    }

    /** A number outside, dialled through the trunk and the outbound guard (do-not-call, the team's prefixes). */
    record Number(String e164) implements Destination {
        public String kind() { return "number"; }
        public String target() { return e164; }
    }

    /** A voice menu: the caller chooses by key. */
    record Menu(UUID menuId) implements Destination {
        public String kind() { return "menu"; }
        public String target() { return menuId.toString(); }
    }

    /** A voicemail box (an agent's or the team's): the caller hears its greeting and leaves a message. */
    record Voicemail(UUID boxId) implements Destination {
        public String kind() { return "voicemail"; }
        public String target() { return boxId.toString(); }
    }

    /** A schedule, which sends the call on by the time in its zone. */
    record Schedule(UUID scheduleId) implements Destination {
        public String kind() { return "schedule"; }
        public String target() { return scheduleId.toString(); }
    }

    /** Parses a stored or requested destination; malformed input is a 400 problem naming the field. */
    static Destination of(String kind, String target, String field) {
        if (kind == null || target == null || target.isBlank()) {
            throw ApiProblem.badRequest(field + " needs a kind (agent, queue, announcement, number, schedule, menu, voicemail) and a target");
        }
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "agent" -> new Agent(uuid(target, field));
            case "queue" -> new Queue(uuid(target, field));
            case "schedule" -> new Schedule(uuid(target, field));
            case "menu" -> new Menu(uuid(target, field));
            case "voicemail" -> new Voicemail(uuid(target, field));
            case "announcement" -> {
                if (!SOUND.matcher(target).matches()) {
                    throw ApiProblem.badRequest(field + ": an announcement is an Asterisk sound such as sound:vm-nobodyavail");
                }
                yield new Announcement(target);
            }
            case "number" -> {
                if (!E164.matcher(target).matches()) {
                    throw ApiProblem.badRequest(field + ": a number must be E.164, e.g. +15550100");
                }
                yield new Number(target);
            }
            default -> throw ApiProblem.badRequest(field + ": unknown kind '" + kind
                    + "' (agent, queue, announcement, number, schedule, menu, voicemail)");
        };
    }

    private static UUID uuid(String target, String field) {
        try {
            return UUID.fromString(target);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(field + ": target must be an id");
        }
    }
}
