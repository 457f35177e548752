package io.meshcp.signaling;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

import io.netty.util.NetUtil;

/**
 * The address a socket's limits are counted against. Behind a load balancer every socket comes from the proxy, so
 * its {@code X-Forwarded-For} names the client, but only when the socket comes from a private-network proxy: the
 * same rule as Tomcat's default internal proxies, which the HTTP side trusts (server.forward-headers-strategy),
 * so a client on the internet cannot name itself someone else. The client is the last address in the header that
 * is not such a proxy, as Tomcat's RemoteIpValve reads it. IPv6 clients count by their /64, the block one
 * subscriber usually gets.
 */
final class PeerAddress {

    private PeerAddress() {
    }

    /** The key of the client behind a socket from {@code peer} that carried this X-Forwarded-For (may be null). */
    static String of(InetAddress peer, String forwardedFor) {
        InetAddress client = peer;
        if (forwardedFor != null && isInternalProxy(peer)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = NetUtil.createInetAddressFromIpAddressString(hops[i].strip());
                if (hop == null) {
                    break;
                }
                client = hop;
                if (!isInternalProxy(hop)) {
                    break;
                }
            }
        }
        return key(client);
    }

    static boolean isInternalProxy(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            // 100.64.0.0/10, carrier-grade NAT space, where cloud load balancers often sit.
            return (bytes[0] & 0xFF) == 100 && (bytes[1] & 0xC0) == 64;
        }
        // fc00::/7, unique local addresses.
        return (bytes[0] & 0xFE) == 0xFC;
    }

    private static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            return NetUtil.bytesToIpAddress(prefix) + "/64";
        }
        return address.getHostAddress();
    }
}
