package io.callcenter.identity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Permissions are {@code area:level}; a level includes every lower level of its area, so {@code calls:2} (place
 * calls) also grants {@code calls:1} (read one's call history and recordings).
 */
public final class Permissions {

    public static final String CALLS_HISTORY = "calls:1";
    public static final String CALLS_DIAL = "calls:2";
    /** See the calls, agents and states of one's own team (managers). */
    public static final String TEAM_READ = "team:1";
    /** Manage the do-not-call list. */
    public static final String DNC_WRITE = "dnc:2";
    /** Manage dialer campaigns and lead lists. */
    public static final String CAMPAIGNS_WRITE = "campaigns:2";
    /** Configure inbound routing: where numbers go, schedules (managers: their own team's). */
    public static final String INBOUND_WRITE = "inbound:2";
    /** Users, teams, phone numbers: everything, across teams. */
    public static final String ADMIN = "admin:2";

    private static final Pattern FORMAT = Pattern.compile("([a-z]+):([1-9])");

    private Permissions() {
    }

    /** Every permission a list grants, lower levels included. */
    public static Set<String> expand(List<String> granted) {
        Set<String> all = new LinkedHashSet<>();
        for (String permission : granted) {
            Matcher m = FORMAT.matcher(permission);
            if (!m.matches()) {
                throw new IllegalArgumentException("permission '" + permission + "' is not of the form area:level");
            }
            for (int level = Integer.parseInt(m.group(2)); level >= 1; level--) {
                all.add(m.group(1) + ":" + level);
            }
        }
        return all;
    }

    public static void validate(List<String> permissions) {
        expand(permissions);
    }
}
