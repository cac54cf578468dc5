package io.callcenter.dialer;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the safe-harbor message must say (16 CFR 310.4(b)(4)(iii), and an opt-out as the TSR's prerecorded-message
 * rules ask): the seller's name, a number to call back, and the key that puts the person on the do-not-call list.
 * Pure checks on the text, so the same words are spoken by Telnyx and recorded for Asterisk.
 */
final class SafeHarborMessage {

    /** Telnyx's speak payload limit. */
    static final int MAX_LENGTH = 3000;
    private static final String[] DIGIT_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

    private SafeHarborMessage() {
    }

    /** What is missing from the message; empty when it says all it must. */
    static List<String> problems(String message, String sellerName, String callbackNumber, String optOutDigit) {
        List<String> problems = new ArrayList<>();
        if (message == null || message.isBlank()) {
            problems.add("the message is empty");
            return problems;
        }
        if (message.length() > MAX_LENGTH) {
            problems.add("the message is longer than " + MAX_LENGTH + " characters");
        }
        if (sellerName == null || sellerName.isBlank()) {
            problems.add("sellerName is required");
        } else if (!message.toLowerCase(Locale.ROOT).contains(sellerName.strip().toLowerCase(Locale.ROOT))) {
            problems.add("the message must name the seller (\"" + sellerName.strip() + "\")");
        }
        if (callbackNumber == null) {
            problems.add("callbackNumber is required");
        } else if (!message.replaceAll("[^0-9]", "").contains(nationalDigits(callbackNumber))) {
            problems.add("the message must give the call-back number (" + nationalDigits(callbackNumber) + ")");
        }
        if (optOutDigit == null || !optOutDigit.matches("[0-9*#]")) {
            problems.add("optOutDigit must be one key: 0-9, * or #");
        } else if (!offersOptOut(message, optOutDigit)) {
            problems.add("the message must offer the opt-out: \"press " + optOutDigit + "\" (to be put on the do-not-call list)");
        }
        return problems;
    }

    /**
     * Said when the campaign's own words cannot be (speaking failed twice): built from the same checked fields, so it
     * is lawful by construction.
     */
    static String fallback(String sellerName, String callbackNumber, String optOutDigit) {
        String digits = String.join(" ", nationalDigits(callbackNumber).split(""));
        return "This is " + sellerName.strip() + ". Sorry we missed you. Please call us back on " + digits
                + ". To not be called again, press " + optOutDigit + " now.";
    }

    private static boolean offersOptOut(String message, String digit) {
        String key = Pattern.quote(digit);
        String word = digit.matches("[0-9]") ? "|" + DIGIT_WORDS[digit.charAt(0) - '0'] : digit.equals("*") ? "|star" : "|pound|hash";
        return Pattern.compile("(?i)\\b(press|dial|key)\\s+(the\\s+)?(" + key + word + ")(?![0-9])").matcher(message).find();
    }

    /** The number as people dial it at home: E.164 without the country code (+15550100 -> 5550100). */
    static String nationalDigits(String e164) {
        try {
            var number = PhoneNumberUtil.getInstance().parse(e164, null);
            return PhoneNumberUtil.getInstance().getNationalSignificantNumber(number);
        } catch (NumberParseException e) {
            return e164.replaceAll("[^0-9]", "");
        }
    }
}
