package io.meshcp.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which addresses a webhook may be sent to: public ones only, so that an organisation cannot make the control plane
 * call into its own network (loopback, private ranges, link-local and with it the clouds' metadata service at
 * 169.254.169.254, carrier-grade NAT, unique-local IPv6, multicast, reserved ranges), except the addresses an operator
 * allowed ({@code meshcp.webhooks.allowed-private-addresses}: {@code 10.1.2.3} or {@code 10.1.2.3:8080}, IPv6 in
 * brackets). The check is made on the addresses a connection is about to use, after DNS resolution, for the first
 * request and each redirect, so a name that resolves to a private address is refused however it got there.
 */
final class OutboundAddresses {

    private record Allowed(InetAddress address, int port) {

        boolean matches(InetAddress candidate, int candidatePort) {
            return address.equals(candidate) && (port < 0 || port == candidatePort);
        }
    }

    private final List<Allowed> allowed;

    OutboundAddresses(List<String> allowedPrivateAddresses) {
        this.allowed = allowedPrivateAddresses.stream().map(String::strip).filter(entry -> !entry.isEmpty())
                .map(OutboundAddresses::parse).toList();
    }

    /** Why a connection to this address and port is refused, or null when it may be made. */
    String refusal(InetAddress address, int port) {
        if (allowed.stream().anyMatch(entry -> entry.matches(address, port))) {
            return null;
        }
        return isPublic(address) ? null : address.getHostAddress() + " is not a public address";
    }

    /** Null when every address may be connected to; otherwise why not (one bad address refuses the name). */
    String refusal(InetAddress[] addresses, int port) {
        return Arrays.stream(addresses).map(address -> refusal(address, port)).filter(reason -> reason != null)
                .findFirst().orElse(null);
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicIpv4(bytes);
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7, unique local
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x01 && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8) {
                return false; // 2001:db8::/32, documentation
            }
            // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) say
            // nothing new about where the connection goes; the IPv4 address decides.
            boolean zeroPrefix = allZero(bytes, 0, 10);
            boolean mapped = zeroPrefix && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
            boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0;
            boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                    && (bytes[3] & 0xff) == 0x9b && allZero(bytes, 4, 12);
            if (mapped || compatible || nat64) {
                return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16));
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicIpv4(byte[] bytes) {
        int a = bytes[0] & 0xff;
        int b = bytes[1] & 0xff;
        int c = bytes[2] & 0xff;
        return !(a == 0 // this network
                || a == 10 || a == 127 // private, loopback
                || (a == 100 && b >= 64 && b <= 127) // carrier-grade NAT
                || (a == 169 && b == 254) // link-local, cloud metadata
                || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) // private
                || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF protocol assignments, documentation
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113) // documentation
                || a >= 224); // multicast, reserved, broadcast
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Allowed parse(String entry) {
        String host = entry;
        int port = -1;
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            if (end < 0) {
                throw invalid(entry);
            }
            host = entry.substring(1, end);
            String rest = entry.substring(end + 1);
            if (!rest.isEmpty()) {
                port = port(entry, rest.startsWith(":") ? rest.substring(1) : null);
            }
        }
        else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            host = entry.substring(0, entry.indexOf(':'));
            port = port(entry, entry.substring(entry.indexOf(':') + 1));
        }
        if (!host.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+")) {
            throw invalid(entry); // an address, never a name: a name could resolve elsewhere tomorrow
        }
        try {
            return new Allowed(InetAddress.getByName(host), port);
        }
        catch (UnknownHostException e) {
            throw invalid(entry);
        }
    }

    private static int port(String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw invalid(entry);
    }

    private static IllegalArgumentException invalid(String entry) {
        return new IllegalArgumentException("meshcp.webhooks.allowed-private-addresses: '" + entry + "' is not an IP "
                + "address with an optional port (10.1.2.3, 10.1.2.3:8080, [fd00::1]:8080)");
    }
}
