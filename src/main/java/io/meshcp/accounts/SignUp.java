package io.meshcp.accounts;

public record SignUp(String organisation, String displayName, String email, String password) {
}
