package io.meshcp.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

class OutboundAddressesTests {

    @Test
    void onlyPublicAddressesAreReachable() throws UnknownHostException {
        for (String refused : List.of("127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1",
                "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "::",
                "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
                "64:ff9b::a9fe:a9fe", "::127.0.0.1", "2001:db8::1")) {
            assertThat(OutboundAddresses.isPublic(InetAddress.getByName(refused))).as(refused).isFalse();
        }
        for (String reachable : List.of("8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "1.1.1.1",
                "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808")) {
            assertThat(OutboundAddresses.isPublic(InetAddress.getByName(reachable))).as(reachable).isTrue();
        }
    }

    @Test
    void anAllowedAddressIsReachableOnItsPortOnlyAndOneBadAddressRefusesAName() throws UnknownHostException {
        OutboundAddresses addresses = new OutboundAddresses(List.of("10.1.2.3:8080", " [fd00::7] ", "192.168.1.1"));
        InetAddress allowed = InetAddress.getByName("10.1.2.3");
        assertThat(addresses.refusal(allowed, 8080)).isNull();
        assertThat(addresses.refusal(allowed, 8081)).contains("10.1.2.3 is not a public address");
        assertThat(addresses.refusal(InetAddress.getByName("fd00::7"), 443)).isNull();
        assertThat(addresses.refusal(InetAddress.getByName("192.168.1.1"), 1)).isNull();
        assertThat(addresses.refusal(new InetAddress[] {InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("127.0.0.1")}, 443)).contains("127.0.0.1");
        assertThat(addresses.refusal(new InetAddress[] {InetAddress.getByName("8.8.8.8")}, 443)).isNull();
    }

    @Test
    void anAllowedEntryMustBeAnAddressNotAName() {
        for (String bad : List.of("internal.example.com", "10.1.2.3:0", "10.1.2.3:http", "[fd00::1", "10.1.2.3:99999")) {
            assertThatThrownBy(() -> new OutboundAddresses(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed-private-addresses");
        }
    }
}
