package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

class PeerAddressTests {

    static final InetAddress LOAD_BALANCER = address("10.0.0.5");

    static final InetAddress INTERNET = address("203.0.113.50");

    @Test
    void aSocketFromAPrivateNetworkProxyCountsAgainstTheClientItForwards() {
        assertThat(PeerAddress.of(LOAD_BALANCER, "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(PeerAddress.of(address("127.0.0.1"), "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(PeerAddress.of(address("100.64.3.4"), "198.51.100.7")).as("carrier-grade NAT space")
                .isEqualTo("198.51.100.7");
        assertThat(PeerAddress.of(address("fd00::1"), "198.51.100.7")).as("unique local IPv6")
                .isEqualTo("198.51.100.7");
    }

    @Test
    void theClientIsTheLastAddressThatIsNotAProxySoWhatTheClientWroteFirstIsIgnored() {
        assertThat(PeerAddress.of(LOAD_BALANCER, "1.2.3.4, 198.51.100.7, 10.1.1.1")).isEqualTo("198.51.100.7");
    }

    @Test
    void aSocketFromTheInternetCannotNameSomeoneElse() {
        assertThat(PeerAddress.of(INTERNET, "198.51.100.7")).isEqualTo("203.0.113.50");
    }

    @Test
    void aHeaderThatIsNotAnAddressStopsTheWalkAtTheLastGoodHop() {
        assertThat(PeerAddress.of(LOAD_BALANCER, "nonsense")).isEqualTo("10.0.0.5");
        assertThat(PeerAddress.of(LOAD_BALANCER, "198.51.100.7, unknown")).isEqualTo("10.0.0.5");
        assertThat(PeerAddress.of(LOAD_BALANCER, "")).isEqualTo("10.0.0.5");
    }

    @Test
    void ipv6ClientsCountByTheirSlash64() {
        assertThat(PeerAddress.of(LOAD_BALANCER, "2001:db8:1:2:aaaa::1"))
                .isEqualTo(PeerAddress.of(LOAD_BALANCER, "2001:db8:1:2:bbbb::9")).isEqualTo("2001:db8:1:2::/64");
        assertThat(PeerAddress.of(LOAD_BALANCER, "2001:db8:1:3::1")).isNotEqualTo(PeerAddress.of(LOAD_BALANCER,
                "2001:db8:1:2::1"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        }
        catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
