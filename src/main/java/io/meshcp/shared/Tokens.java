package io.meshcp.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Random tokens for keys and invitation links, and the hash under which they are stored. */
public final class Tokens {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            .toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** {@code length} characters of [A-Za-z0-9] from a CSPRNG: 5.95 bits each. */
    public static String random(int length) {
        char[] token = new char[length];
        for (int i = 0; i < length; i++) {
            token[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(token);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
