package io.callcenter.routing;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Optional;

/** E.164 normalisation with libphonenumber: the only place that decides what a valid phone number is. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * Returns the E.164 form of a dialled string, reading national formats in {@code defaultRegion}
     * (ISO 3166 code such as "US"). Empty when the number cannot exist.
     */
    public static Optional<String> toE164(String dialled, String defaultRegion) {
        if (dialled == null || dialled.isBlank()) {
            return Optional.empty();
        }
        String candidate = dialled.strip();
        // Carriers and SIP phones often send E.164 without the '+'; a leading 00 is the international prefix.
        if (candidate.startsWith("00")) {
            candidate = "+" + candidate.substring(2);
        }
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(candidate, defaultRegion);
            if (!UTIL.isPossibleNumber(parsed)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Premium-rate and shared-cost numbers cost the caller money: the classic toll-fraud destinations. */
    /**
     * The country (ISO 3166 region) a number belongs to, e.g. "US", "JM" for +1 876; empty if none. A number no
     * region claims as valid (a fictional 555 number, a new range libphonenumber does not know yet) belongs to its
     * calling code's main country: every country sharing a code has its own ranges, which it does claim.
     */
    public static Optional<String> regionOf(String e164) {
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(e164, null);
            String region = UTIL.getRegionCodeForNumber(parsed);
            if (region == null || "ZZ".equals(region)) {
                region = UTIL.getRegionCodeForCountryCode(parsed.getCountryCode());
            }
            return region == null || "ZZ".equals(region) ? Optional.empty() : Optional.of(region);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether libphonenumber knows this region code (upper case ISO 3166, e.g. "GB"). */
    public static boolean isRegion(String code) {
        return code != null && UTIL.getSupportedRegions().contains(code);
    }

    public static boolean isPremiumRate(String e164) {
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(e164, null);
            PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(parsed);
            return type == PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE || type == PhoneNumberUtil.PhoneNumberType.SHARED_COST;
        } catch (NumberParseException e) {
            return false;
        }
    }
}
