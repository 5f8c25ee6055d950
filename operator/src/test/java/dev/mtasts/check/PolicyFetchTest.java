package dev.mtasts.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code check} reads the policy body as bytes and hands them to the parser unchanged, however they are framed. */
class PolicyFetchTest {

  static final String URL = "https://mta-sts.example.com/.well-known/mta-sts.txt";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtasts.rfc.NotUtf8Policies#cases")
  void bytesThatAreNotUtf8AreAnErrorWithContentLength(String caseInWords, byte[] body, String firstError)
      throws IOException {
    byte[] response = concat(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);

    assertRefused(response, body, firstError);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtasts.rfc.NotUtf8Policies#cases")
  void bytesThatAreNotUtf8AreAnErrorWhenChunked(String caseInWords, byte[] body, String firstError)
      throws IOException {
    // Two chunks split in the middle of the body must join back byte for byte.
    int half = body.length / 2;
    byte[] response = concat(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(
            StandardCharsets.US_ASCII),
        chunk(Arrays.copyOfRange(body, 0, half)), chunk(Arrays.copyOfRange(body, half, body.length)),
        "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertRefused(response, body, firstError);
  }

  private static void assertRefused(byte[] response, byte[] body, String firstError) throws IOException {
    PolicyFetch.Response read = PolicyFetch.read(new ByteArrayInputStream(response), CheckSettings.MAX_POLICY_BYTES);
    List<CheckFinding> findings = new ArrayList<>();

    assertThat(read.body()).isEqualTo(body);
    assertThat(PolicyUrlFetch.judge(URL, read, findings)).isEmpty();
    assertThat(findings).filteredOn(CheckFinding::isError).first()
        .satisfies(f -> assertThat(f.finding().toString()).isEqualTo("policy: " + firstError.substring(6)))
        .satisfies(f -> assertThat(f.fix()).isEqualTo("fix the policy file served at " + URL));
  }

  private static byte[] chunk(byte[] data) {
    return concat((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), data,
        "\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
