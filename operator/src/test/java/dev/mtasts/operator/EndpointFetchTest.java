package dev.mtasts.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EndpointFetchTest {

  static byte[] bytes(String response) {
    return response.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void readsTheBodyByItsLength() throws IOException {
    EndpointFetch.Answer answer = EndpointFetch.parse(bytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nversion: STSv1 and more"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("version: STS");
  }

  @Test
  void readsAChunkedBody() throws IOException {
    EndpointFetch.Answer answer = EndpointFetch.parse(bytes(
        "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnot \r\n5\r\nfound\r\n0\r\n\r\n"));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("not found");
  }

  @Test
  void refusesAnAnswerCutShortOrNotHttp() {
    assertThatThrownBy(() -> EndpointFetch.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort")))
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> EndpointFetch.parse(bytes("SSH-2.0-OpenSSH\r\n\r\n")))
        .hasMessageContaining("status line");
    assertThatThrownBy(() -> EndpointFetch.parse(bytes("HTTP/1.1 200 OK\r\n"))).hasMessageContaining("headers");
  }
}
