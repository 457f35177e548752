package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;

/** Against the internal proxies the application runs with by default (Spring Boot's, for Tomcat). */
class PeerAddressTests {

    static final PeerAddress DEFAULT = new PeerAddress(new TomcatServerProperties().getRemoteip().getInternalProxies());

    static final InetAddress LOAD_BALANCER = address("10.0.0.5");

    static final InetAddress INTERNET = address("203.0.113.50");

    @Test
    void aSocketFromAPrivateNetworkProxyCountsAgainstTheClientItForwards() {
        assertThat(DEFAULT.of(LOAD_BALANCER, "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(DEFAULT.of(address("127.0.0.1"), "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(DEFAULT.of(address("100.64.3.4"), "198.51.100.7")).as("carrier-grade NAT space")
                .isEqualTo("198.51.100.7");
        assertThat(DEFAULT.of(address("fd00::1"), "198.51.100.7")).as("unique local IPv6")
                .isEqualTo("198.51.100.7");
    }

    @Test
    void theClientIsTheLastAddressThatIsNotAProxySoWhatTheClientWroteFirstIsIgnored() {
        assertThat(DEFAULT.of(LOAD_BALANCER, "1.2.3.4, 198.51.100.7, 10.1.1.1")).isEqualTo("198.51.100.7");
    }

    @Test
    void aSocketFromTheInternetCannotNameSomeoneElse() {
        assertThat(DEFAULT.of(INTERNET, "198.51.100.7")).isEqualTo("203.0.113.50");
    }

    @Test
    void aHeaderThatIsNotAnAddressStopsTheWalkAtTheLastGoodHop() {
        assertThat(DEFAULT.of(LOAD_BALANCER, "nonsense")).isEqualTo("10.0.0.5");
        assertThat(DEFAULT.of(LOAD_BALANCER, "198.51.100.7, unknown")).isEqualTo("10.0.0.5");
        assertThat(DEFAULT.of(LOAD_BALANCER, "")).isEqualTo("10.0.0.5");
    }

    @Test
    void theProxiesTrustedAreTheOnesConfiguredForTomcat() {
        PeerAddress publicBalancer = new PeerAddress("203\\.0\\.113\\.50");

        assertThat(publicBalancer.of(INTERNET, "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(publicBalancer.of(LOAD_BALANCER, "198.51.100.7")).isEqualTo("10.0.0.5");
        assertThat(new PeerAddress("").of(LOAD_BALANCER, "198.51.100.7")).as("none").isEqualTo("10.0.0.5");
    }

    @Test
    void ipv6ClientsCountByTheirSlash64() {
        assertThat(DEFAULT.of(LOAD_BALANCER, "2001:db8:1:2:aaaa::1"))
                .isEqualTo(DEFAULT.of(LOAD_BALANCER, "2001:db8:1:2:bbbb::9")).isEqualTo("2001:db8:1:2::/64");
        assertThat(DEFAULT.of(LOAD_BALANCER, "2001:db8:1:3::1")).isNotEqualTo(DEFAULT.of(LOAD_BALANCER,
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
