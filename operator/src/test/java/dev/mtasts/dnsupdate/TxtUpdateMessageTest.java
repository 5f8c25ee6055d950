package dev.mtasts.dnsupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class TxtUpdateMessageTest {

  static final Name ZONE = name("example.com.");
  static final Name STS = name("_mta-sts.example.com.");

  @Test
  void replaceDeletesTheRrsetThenAddsEachValueInOneMessage() throws IOException {
    Message update = wire(TxtUpdateMessage.replace(ZONE, STS, List.of("v=STSv1; id=20260101T000000", "other"),
        Duration.ofMinutes(5)));

    assertThat(update.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
    // RFC 2136 §2.3: the zone section names the zone, class IN, type SOA.
    Record zone = update.getSection(Section.ZONE).get(0);
    assertThat(zone.getName()).isEqualTo(ZONE);
    assertThat(zone.getType()).isEqualTo(Type.SOA);
    assertThat(update.getSection(Section.PREREQ)).isEmpty();
    List<Record> changes = update.getSection(Section.UPDATE);
    assertThat(changes).hasSize(3);
    // RFC 2136 §2.5.2: "Delete An RRset" is class ANY, TTL 0, no RDATA.
    Record delete = changes.get(0);
    assertThat(delete.getName()).isEqualTo(STS);
    assertThat(delete.getType()).isEqualTo(Type.TXT);
    assertThat(delete.getDClass()).isEqualTo(DClass.ANY);
    assertThat(delete.getTTL()).isZero();
    assertThat(delete.rdataToWireCanonical()).isEmpty();
    assertThat(changes.subList(1, 3)).allSatisfy(add -> {
      assertThat(add.getName()).isEqualTo(STS);
      assertThat(add.getDClass()).isEqualTo(DClass.IN);
      assertThat(add.getTTL()).isEqualTo(300);
    });
    assertThat(changes.subList(1, 3)).map(r -> TxtUpdateMessage.value((TXTRecord) r))
        .containsExactly("v=STSv1; id=20260101T000000", "other");
  }

  @Test
  void deleteRemovesTheRrsetOnly() throws IOException {
    Message update = wire(TxtUpdateMessage.delete(ZONE, STS));

    assertThat(update.getSection(Section.ZONE).get(0).getName()).isEqualTo(ZONE);
    List<Record> changes = update.getSection(Section.UPDATE);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).getType()).isEqualTo(Type.TXT);
    assertThat(changes.get(0).getDClass()).isEqualTo(DClass.ANY);
  }

  @ParameterizedTest(name = "{0} bytes become strings of {1}")
  @CsvSource(delimiter = '|', value = {
      "0    | 0",
      "1    | 1",
      "255  | 255",
      "256  | 255 1",
      "300  | 255 45",
      "510  | 255 255",
      "511  | 255 255 1",
  })
  void splitsLongValuesIntoStringsOfAtMost255Bytes(int length, String pieces) {
    String value = "x".repeat(length);

    assertThat(TxtUpdateMessage.strings(value)).map(s -> s.length)
        .containsExactly(Arrays.stream(pieces.split(" ")).map(Integer::valueOf).toArray(Integer[]::new));
  }

  @Test
  void neverCutsACharacterInTwo() {
    // 254 ASCII bytes then "é" (2 bytes in UTF-8): the cut goes before it, not through it.
    String value = "a".repeat(254) + "é" + "b";

    List<byte[]> strings = TxtUpdateMessage.strings(value);

    assertThat(strings).map(s -> s.length).containsExactly(254, 3);
    assertThat(new String(strings.get(1), StandardCharsets.UTF_8)).isEqualTo("éb");
  }

  @Test
  void carriesValuesByteForByteNotAsZoneFileText() throws IOException {
    // ";" starts a zone-file comment, quotes and backslashes are zone-file syntax: none of it may be interpreted.
    String value = "v=STSv1; id=\"quoted\" \\backslash\\ ;; trailing ";
    Message update = wire(TxtUpdateMessage.replace(ZONE, STS, List.of(value), Duration.ofSeconds(60)));

    TXTRecord add = (TXTRecord) update.getSection(Section.UPDATE).get(1);

    assertThat(add.getStringsAsByteArrays()).containsExactly(value.getBytes(StandardCharsets.UTF_8));
    assertThat(TxtUpdateMessage.value(add)).isEqualTo(value);
  }

  @Test
  void aLongValueIsOneRecordOfSeveralStringsThatJoinBack() throws IOException {
    String value = "v=TLSRPTv1; rua=" + "mailto:tlsrpt@example.com,".repeat(11) + "https://reports.example.com/v1";
    Message update = wire(TxtUpdateMessage.replace(ZONE, STS, List.of(value), Duration.ofSeconds(60)));

    List<Record> adds = update.getSection(Section.UPDATE).subList(1, 2);
    TXTRecord add = (TXTRecord) adds.get(0);

    assertThat(update.getSection(Section.UPDATE)).hasSize(2);
    assertThat(add.getStringsAsByteArrays()).hasSize(2);
    assertThat(TxtUpdateMessage.value(add)).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a negative TTL             | -1   | ttl: PT-1S is not a whole number of seconds from 0 to 2147483647 (RFC 2181 §8)",
      "a TTL over 2^31-1 seconds  | 2147483648 | ttl: PT596523H14M8S is not a whole number of seconds from 0 to 2147483647 (RFC 2181 §8)",
  })
  void refusesATtlNoRecordCanCarry(String description, long seconds, String message) {
    assertThatThrownBy(() -> TxtUpdateMessage.replace(ZONE, STS, List.of("v=STSv1; id=1"), Duration.ofSeconds(seconds)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void refusesAFractionOfASecond() {
    assertThatThrownBy(() -> TxtUpdateMessage.replace(ZONE, STS, List.of("v"), Duration.ofMillis(1500)))
        .hasMessage("ttl: PT1.5S is not a whole number of seconds from 0 to 2147483647 (RFC 2181 §8)");
  }

  @Test
  void refusesNoValuesRatherThanDeleting() {
    assertThatThrownBy(() -> TxtUpdateMessage.replace(ZONE, STS, List.of(), Duration.ofSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values: none given; to remove the TXT records at _mta-sts.example.com delete them");
  }

  @Test
  void namesEveryValueNoRecordCanHold() {
    String huge = "x".repeat(65_280);

    assertThatThrownBy(() -> TxtUpdateMessage.replace(ZONE, STS, Arrays.asList("fine", null, huge),
        Duration.ofSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values[1]: is missing; values[2]: 65280 bytes take 65536 bytes as TXT data, over the 65535 a"
            + " record can hold (RFC 1035 §3.2.1)");
  }

  @Test
  void theLargestValueARecordHoldsIsAccepted() {
    // Each string costs one length byte: 255 strings of 255 bytes and one of 254 make 65279 + 256 = 65535.
    String largest = "x".repeat(255 * 255 + 254);

    assertThat(TxtUpdateMessage.replace(ZONE, STS, List.of(largest), Duration.ofSeconds(60))
        .getSection(Section.UPDATE)).hasSize(2);
  }

  @Test
  void refusesANameOutsideTheZone() {
    assertThatThrownBy(() -> TxtUpdateMessage.delete(ZONE, name("_mta-sts.example.net.")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: _mta-sts.example.net is not in zone example.com");
  }

  static Message wire(Message message) throws IOException {
    // What the server receives: the message through its wire form, so nothing rests on dnsjava's objects.
    return new Message(message.toWire());
  }

  static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
