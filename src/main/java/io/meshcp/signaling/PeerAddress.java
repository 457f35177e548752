package io.meshcp.signaling;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.netty.util.NetUtil;
import org.apache.catalina.util.NetMaskSet;

/**
 * The address a socket's limits are counted against. Behind a load balancer every socket comes from the proxy, so
 * its {@code X-Forwarded-For} names the client, but only when the socket comes from one of the proxies the HTTP
 * side trusts too ({@code server.tomcat.remoteip.internal-proxies}, private networks by default), so that a client
 * on the internet cannot name itself someone else, and one setting covers both ports. The client is the last address
 * in the header that is not such a proxy, as Tomcat's RemoteIpValve reads it. IPv6 clients count by their /64, the
 * block one subscriber usually gets.
 */
final class PeerAddress {

    private final Predicate<InetAddress> internalProxy;

    /**
     * @param internalProxies the proxies' addresses as Tomcat's RemoteIpValve takes them: networks in CIDR notation
     * separated by commas (Spring Boot's default), or a regular expression of addresses; null or empty: none
     */
    PeerAddress(String internalProxies) {
        if (internalProxies == null || internalProxies.isEmpty()) {
            internalProxy = address -> false;
        }
        else if (internalProxies.indexOf('/') > 0) {
            NetMaskSet networks = NetMaskSet.parse(internalProxies);
            internalProxy = networks::contains;
        }
        else {
            Pattern pattern = Pattern.compile(internalProxies);
            internalProxy = address -> pattern.matcher(address.getHostAddress()).matches();
        }
    }

    /** The key of the client behind a socket from {@code peer} that carried this X-Forwarded-For (may be null). */
    String of(InetAddress peer, String forwardedFor) {
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

    private boolean isInternalProxy(InetAddress address) {
        return internalProxy.test(address);
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
