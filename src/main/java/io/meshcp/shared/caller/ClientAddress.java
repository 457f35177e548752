package io.meshcp.shared.caller;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Client addresses are personal data: nothing is written with more than the /24 (IPv4) or /48 (IPv6)
 * network, so every address goes through {@link #truncated} before it is stored or logged.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The caller's network, truncated; {@code null} when the request has no usable address. */
    public static String truncated(HttpServletRequest request) {
        return request == null ? null : truncate(request.getRemoteAddr());
    }

    public static String truncate(String address) {
        if (address == null || address.isBlank() || !looksLikeLiteral(address)) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            int keep = bytes.length == 4 ? 3 : 6;
            for (int i = keep; i < bytes.length; i++) {
                bytes[i] = 0;
            }
            String network = InetAddress.getByAddress(bytes).getHostAddress();
            return network + (bytes.length == 4 ? "/24" : "/48");
        }
        catch (UnknownHostException e) {
            return null;
        }
    }

    // Never resolve host names: only literal addresses are accepted, so truncation cannot do DNS.
    private static boolean looksLikeLiteral(String address) {
        return address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    }
}
