package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "10.96.0.10, 10.96.0.10, 53",
      "10.96.0.10:5353, 10.96.0.10, 5353",
      "resolver.example, resolver.example, 53",
      "resolver.example:5353, resolver.example, 5353",
      "2001:db8::53, 2001:db8:0:0:0:0:0:53, 53",
      "[2001:db8::53], 2001:db8:0:0:0:0:0:53, 53",
      "[2001:db8::53]:5353, 2001:db8:0:0:0:0:0:53, 5353",
      "[::1]:53, 0:0:0:0:0:0:0:1, 53"})
  void readsTheServer(String value, String host, int port) {
    InetSocketAddress address = HostPort.parse(value, 53);

    assertThat(address.getHostString()).isEqualTo(host);
    assertThat(address.getPort()).isEqualTo(port);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"10.0.0.1:dns", "10.0.0.1:70000", "no:port:x", "[2001:db8::53", "[2001:db8::53]53",
      "[resolver.example]:53"})
  void refusesWithTheValueNamed(String value) {
    assertThatThrownBy(() -> HostPort.parse(value, 53))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + value + "' is not HOST, HOST:PORT or [IPv6]:PORT");
  }
}
