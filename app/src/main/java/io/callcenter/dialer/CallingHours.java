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
 * When a lead may be called: inside the campaign's window in the lead's local time. A number whose prefix spans
 * several zones (Alaska's +1 907, the UK's Crown dependencies) is called only while the window is open in all of
 * them, so the rule holds wherever the person is.
 */
public record CallingHours(LocalTime start, LocalTime end) {

    public static final CallingHours DEFAULT = new CallingHours(LocalTime.of(8, 0), LocalTime.of(21, 0));

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

    /** The zones that decide for a lead: the list's own zone if it gave one, else the number's. */
    public static List<ZoneId> zonesFor(String e164, String zoneOverride) {
        return parseZone(zoneOverride).map(List::of).orElseGet(() -> zonesOf(e164));
    }

    public boolean allows(Instant now, List<ZoneId> zones) {
        if (zones.isEmpty()) {
            return false;
        }
        for (ZoneId zone : zones) {
            LocalTime local = now.atZone(zone).toLocalTime();
            if (local.isBefore(start) || !local.isBefore(end)) {
                return false;
            }
        }
        return true;
    }
}
