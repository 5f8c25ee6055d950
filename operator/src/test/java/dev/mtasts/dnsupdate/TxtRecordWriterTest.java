package dev.mtasts.dnsupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TxtRecordWriterTest {

  static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.53", 53);
  static final TsigKey KEY = new TsigKey("mtasts-operator", "hmac-sha256", TsigKeyTest.SECRET);

  @Test
  void refusesMissingSettingsAndATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> new TxtRecordWriter(null, KEY, Duration.ofSeconds(1))).hasMessage("server: is missing");
    assertThatThrownBy(() -> new TxtRecordWriter(SERVER, null, Duration.ofSeconds(1))).hasMessage("key: is missing");
    assertThatThrownBy(() -> new TxtRecordWriter(SERVER, KEY, null)).hasMessage("timeout: is missing");
    assertThatThrownBy(() -> new TxtRecordWriter(SERVER, KEY, Duration.ZERO)).hasMessage("timeout: PT0S is not positive");
  }

  @Test
  void refusesANameThatIsNoDnsNameBeforeAskingTheServer() {
    TxtRecordWriter writer = new TxtRecordWriter(SERVER, KEY, Duration.ofSeconds(1));

    assertThatThrownBy(() -> writer.read("a..example.com")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: \"a..example.com\" is not a DNS name: ");
    assertThatThrownBy(() -> writer.delete("")).hasMessage("name: is missing");
  }

  @Test
  void showsServerAndKeyButNotTheSecret() {
    assertThat(new TxtRecordWriter(SERVER, KEY, Duration.ofSeconds(2)))
        .hasToString("TxtRecordWriter[192.0.2.53:53, key mtasts-operator (hmac-sha256), timeout PT2S]");
  }
}
