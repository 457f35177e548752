package io.meshcp.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTests {

    final PasswordPolicy policy = new PasswordPolicy();

    @ParameterizedTest
    @ValueSource(strings = {"short", "elevenchars", "123456789012", "qwertyuiopasdfgh", "password1234",
            "Password!!!!1234", "iloveyou12345678", "zzzzzzzzzzzzzzzz", "abababababababab"})
    void refusesShortCommonAndRepetitivePasswords(String password) {
        assertThat(policy.problem(password, "someone@example.com")).as(password).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "twelve chars", "mot de passe très long",
            "пароль достаточно длинный", "9f3Kq!vZ2m#L"})
    void acceptsLongEnoughUncommonPasswordsWithoutCompositionRules(String password) {
        assertThat(policy.problem(password, "someone@example.com")).as(password).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"someone@example.com", "someone2024!!!!", "SOMEONE12345678"})
    void refusesPasswordsMadeFromTheEmailAddress(String password) {
        assertThat(policy.problem(password, "someone@example.com")).as(password).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {PasswordPolicy.MAX_LENGTH, 64, 100})
    void acceptsLongPassphrasesUpToTheLimit(int length) {
        String passphrase = "a varied passphrase, ".repeat(20).substring(0, length);
        assertThat(policy.problem(passphrase, "someone@example.com")).isEmpty();
        assertThat(policy.problem(passphrase + "x".repeat(PasswordPolicy.MAX_LENGTH), "someone@example.com"))
                .isPresent();
    }
}
