package io.callcenter.dialer;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * When a lead may be called: inside the campaign's window in the lead's local time, and never outside the law's
 * 08:00-21:00 whatever the campaign says. A number whose prefix spans several zones (Alaska's +1 907, the UK's Crown
 * dependencies) is called only while the window is open in all of them, so the rule holds wherever the person is.
 */
public record CallingHours(LocalTime start, LocalTime end) {

    /** The TSR's calling hours (16 CFR 310.4(c)), in the called person's local time. */
    public static final LocalTime LAWFUL_START = LocalTime.of(8, 0);
    public static final LocalTime LAWFUL_END = LocalTime.of(21, 0);
    public static final CallingHours DEFAULT = new CallingHours(LAWFUL_START, LAWFUL_END);

    public CallingHours {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("calling hours must start before they end (" + start + "-" + end + ")");
        }
    }

    /** The zones the number may be in; empty when libphonenumber cannot tell (then the lead list must say). */
    public static List<ZoneId> zonesOf(String e164) {
        try {
            List<String> names = PhoneNumberToTimeZonesMapper.getInstance()
                    .getTimeZonesForNumber(PhoneNumberUtil.getInstance().parse(e164, null));
            if (names.contains(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
                return List.of();
            }
            return names.stream().map(ZoneId::of).toList();
        } catch (NumberParseException | DateTimeException e) {
            return List.of();
        }
    }

    public static Optional<ZoneId> parseZone(String name) {
        try {
            return name == null || name.isBlank() ? Optional.empty() : Optional.of(ZoneId.of(name.strip()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The zones that decide for a lead: every zone the number may be in, and the list's zone too if it gave one. The
     * window must be open in all of them, so a list's zone can only narrow the hours, never widen them (a wrong zone
     * in a list must not make a call at 07:00 lawful).
     */
    public static List<ZoneId> zonesFor(String e164, String listZone) {
        List<ZoneId> zones = new java.util.ArrayList<>(zonesOf(e164));
        parseZone(listZone).filter(zone -> !zones.contains(zone)).ifPresent(zones::add);
        return List.copyOf(zones);
    }

    /** Whether the window lies inside the given bounds (the law's hours). */
    public boolean within(CallingHours bounds) {
        return !start.isBefore(bounds.start) && !end.isAfter(bounds.end);
    }

    /** "HH:mm-HH:mm", as the lawful-hours setting is written. */
    public static CallingHours parse(String text) {
        String[] parts = text.strip().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("calling hours are written HH:mm-HH:mm, not '" + text + "'");
        }
        return new CallingHours(LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip()));
    }

    public boolean allows(Instant now, List<ZoneId> zones) {
        return allows(now, zones, DEFAULT);
    }

    /** Inside this window and the law's {@code lawful} hours, in every zone. */
    public boolean allows(Instant now, List<ZoneId> zones, CallingHours lawful) {
        if (zones.isEmpty()) {
            return false;
        }
        // A window stored before the law's bounds were enforced is narrowed to them here.
        LocalTime from = start.isBefore(lawful.start) ? lawful.start : start;
        LocalTime until = end.isAfter(lawful.end) ? lawful.end : end;
        for (ZoneId zone : zones) {
            LocalTime local = now.atZone(zone).toLocalTime();
            if (local.isBefore(from) || !local.isBefore(until)) {
                return false;
            }
        }
        return true;
    }
}
