package io.meshcp.shared.caller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTests {

    @ParameterizedTest
    @CsvSource({"203.0.113.77, 203.0.113.0/24", "10.1.2.3, 10.1.2.0/24",
            "2001:db8:abcd:12:34:56:78:9a, 2001:db8:abcd:0:0:0:0:0/48", "::1, 0:0:0:0:0:0:0:0/48"})
    void keepsOnlyTheNetwork(String address, String expected) {
        assertThat(ClientAddress.truncate(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "not an ip"})
    void neverResolvesNamesAndDropsWhatIsNotAnAddress(String address) {
        assertThat(ClientAddress.truncate(address)).isNull();
    }
}
