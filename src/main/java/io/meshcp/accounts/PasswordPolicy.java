package io.meshcp.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Password rules as NIST SP 800-63B gives them: long enough, no composition rules, and not one that
 * attackers try first. Length counts Unicode code points so that any script is treated alike.
 */
@Component
class PasswordPolicy {

    static final int MIN_LENGTH = 12;

    // Well above what anyone types or a manager generates; stops multi-megabyte inputs reaching the hash.
    static final int MAX_LENGTH = 256;

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load("passwords/common-passwords.txt");
    }

    /** Why the password is refused, or empty when it is acceptable. */
    Optional<String> problem(String password, String email) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (password.codePointCount(0, password.length()) > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (isCommon(lower)) {
            return Optional.of("is one of the most commonly used passwords; choose another");
        }
        if (password.codePoints().distinct().count() <= 2) {
            return Optional.of("is too repetitive");
        }
        if (isSequence(lower)) {
            return Optional.of("is a keyboard or alphabet sequence");
        }
        if (email != null && !email.isBlank()) {
            String localPart = email.toLowerCase(Locale.ROOT).split("@", 2)[0];
            if (lower.equals(email.toLowerCase(Locale.ROOT)) || (localPart.length() >= 4 && lower.startsWith(localPart)
                    && isCommonOrEmpty(lower.substring(localPart.length())))) {
                return Optional.of("must not be based on your email address");
            }
        }
        return Optional.empty();
    }

    // Runs such as "123456789012" or "qwertyuiopasdf", forwards or backwards, are among the first guesses.
    private static final List<String> SEQUENCES = List.of("0123456789", "abcdefghijklmnopqrstuvwxyz",
            "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "1234567890qwertyuiop");

    private static boolean isSequence(String lower) {
        for (String sequence : SEQUENCES) {
            String cycle = sequence.repeat(2 + lower.length() / sequence.length());
            if (cycle.contains(lower) || new StringBuilder(cycle).reverse().toString().contains(lower)) {
                return true;
            }
        }
        return false;
    }

    // A common password with digits or symbols appended ("password123456") is just as guessable.
    private boolean isCommon(String lower) {
        if (common.contains(lower)) {
            return true;
        }
        String stem = lower.replaceAll("[^\\p{L}]+$", "");
        return stem.length() >= 4 && common.contains(stem);
    }

    private boolean isCommonOrEmpty(String rest) {
        return rest.isEmpty() || rest.chars().noneMatch(Character::isLetter) || common.contains(rest);
    }

    private static Set<String> load(String resource) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new ClassPathResource(resource).getInputStream(), StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .collect(Collectors.toUnmodifiableSet());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
