package io.callcenter.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * SIP digest credentials. Asterisk accepts the precomputed hash MD5(username:realm:password) instead of the password
 * (auth_type=md5), so the database never holds a usable SIP password.
 */
final class SipDigest {

    /** The realm Asterisk challenges agents' phones with; part of the stored hash, so never change it lightly. */
    static final String REALM = "callcenter";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private SipDigest() {
    }

    static String md5Cred(String username, String password) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((username + ":" + REALM + ":" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by SIP digest authentication", e);
        }
    }

    /** 24 characters from a 57-letter alphabet: about 140 bits, and safe in any SIP or JSON context. */
    static String newPassword() {
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(password);
    }
}
