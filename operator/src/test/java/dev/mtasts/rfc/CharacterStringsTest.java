package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A TXT value cut into character-strings of at most 255 bytes, never inside a character. */
class CharacterStringsTest {

  static List<Integer> sizes(List<String> strings) {
    return strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8).length).toList();
  }

  @Test
  void aShortValueIsOneString() {
    assertThat(CharacterStrings.split("v=STSv1; id=1")).containsExactly("v=STSv1; id=1");
    assertThat(CharacterStrings.split("")).containsExactly("");
  }

  @Test
  void aValueIsCutAtEvery255Bytes() {
    assertThat(sizes(CharacterStrings.split("a".repeat(255)))).containsExactly(255);
    assertThat(sizes(CharacterStrings.split("a".repeat(256)))).containsExactly(255, 1);
    assertThat(sizes(CharacterStrings.split("a".repeat(510)))).containsExactly(255, 255);
  }

  @Test
  void aCharacterAcrossTheCutMovesWholeIntoTheNextString() {
    // 254 bytes, then a 2-byte é: it would end at byte 256, so it starts the second string.
    List<String> two = CharacterStrings.split("a".repeat(254) + "é" + "b");
    assertThat(two).containsExactly("a".repeat(254), "éb");

    // A 4-byte character starting at byte 253 goes whole into the second string too.
    List<String> four = CharacterStrings.split("a".repeat(253) + "😀");
    assertThat(four).containsExactly("a".repeat(253), "😀");
    assertThat(String.join("", four)).isEqualTo("a".repeat(253) + "😀");
  }

  @Test
  void aCharacterEndingExactlyAtTheCutStays() {
    assertThat(CharacterStrings.split("a".repeat(253) + "é" + "b")).containsExactly("a".repeat(253) + "é", "b");
  }
}
