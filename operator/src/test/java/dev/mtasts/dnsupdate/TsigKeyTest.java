package dev.mtasts.dnsupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TsigKeyTest {

  static final String SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a relative name            | mtasts-operator      | hmac-sha256 | mtasts-operator      | hmac-sha256",
      "an absolute name           | mtasts-operator.     | hmac-sha256 | mtasts-operator      | hmac-sha256",
      "a name of several labels   | _tsig.Example.COM    | hmac-sha512 | _tsig.Example.COM    | hmac-sha512",
      "an algorithm in upper case | k                    | HMAC-SHA1   | k                    | hmac-sha1",
      "hmac-sha224                | k                    | hmac-sha224 | k                    | hmac-sha224",
      "hmac-sha384                | k                    | hmac-sha384 | k                    | hmac-sha384",
  })
  void acceptsAKey(String description, String name, String algorithm, String storedName, String storedAlgorithm) {
    TsigKey key = new TsigKey(name, algorithm, SECRET);

    assertThat(key.name()).isEqualTo(storedName);
    assertThat(key.algorithm()).isEqualTo(storedAlgorithm);
    assertThat(key.secret()).isEqualTo(SECRET);
    assertThat(TsigKey.problems(name, algorithm, SECRET)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "no name               | NULL   | hmac-sha256 | q83vEjRWeJo= | name: is missing; give the key's name as the DNS server knows it",
      "an empty name         | ''     | hmac-sha256 | q83vEjRWeJo= | name: is missing; give the key's name as the DNS server knows it",
      "the root              | .      | hmac-sha256 | q83vEjRWeJo= | name: \".\" is the root; give the key's name as the DNS server knows it",
      "an empty label        | a..b   | hmac-sha256 | q83vEjRWeJo= | name: \"a..b\" has an empty label",
      "a space in the name   | my key | hmac-sha256 | q83vEjRWeJo= | name: \"my key\": label \"my key\" may hold only letters, digits, \"-\" and \"_\", and may not begin or end with \"-\"",
      "a leading hyphen      | -k.a   | hmac-sha256 | q83vEjRWeJo= | name: \"-k.a\": label \"-k\" may hold only letters, digits, \"-\" and \"_\", and may not begin or end with \"-\"",
      "no algorithm          | k      | NULL        | q83vEjRWeJo= | algorithm: is missing; one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512",
      "hmac-md5              | k      | hmac-md5    | q83vEjRWeJo= | algorithm: \"hmac-md5\" is deprecated (RFC 8945 §6); use one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512",
      "BIND's MD5 name       | k      | HMAC-MD5.SIG-ALG.REG.INT | q83vEjRWeJo= | algorithm: \"HMAC-MD5.SIG-ALG.REG.INT\" is deprecated (RFC 8945 §6); use one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512",
      "Java's algorithm name | k      | HmacSHA256  | q83vEjRWeJo= | algorithm: \"HmacSHA256\" is not one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512 (RFC 8945 §6 names)",
      "no secret             | k      | hmac-sha256 | NULL         | secret: is missing; give the key's base64 secret",
      "a secret with a space | k      | hmac-sha256 | q83v EjRWeJo= | secret: contains whitespace; give the base64 text on one line without spaces",
      "base64url, not base64 | k      | hmac-sha256 | q83v-jRWeJo= | secret: character 5 is not base64 (RFC 4648 §4: A-Z, a-z, 0-9, \"+\", \"/\", and \"=\" padding)",
      "a truncated secret    | k      | hmac-sha256 | q83vE        | secret: is not base64 (RFC 4648 §4): its length or \"=\" padding is wrong",
      "only padding          | k      | hmac-sha256 | ==           | secret: is not base64 (RFC 4648 §4): its length or \"=\" padding is wrong",
  })
  void refusesABadField(String description, String name, String algorithm, String secret, String message) {
    assertThatThrownBy(() -> new TsigKey(name, algorithm, secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TSIG key: " + message);
  }

  @Test
  void namesEveryBadFieldAtOnce() {
    assertThat(TsigKey.problems("a..b", "hmac-md5", "not base64!")).containsExactly(
        "name: \"a..b\" has an empty label",
        "algorithm: \"hmac-md5\" is deprecated (RFC 8945 §6); use one of hmac-sha1, hmac-sha224, hmac-sha256,"
            + " hmac-sha384, hmac-sha512",
        "secret: contains whitespace; give the base64 text on one line without spaces");
  }

  @Test
  void refusesNamesOverTheDnsLimits() {
    String label64 = "a".repeat(64);
    assertThat(TsigKey.problems(label64 + ".test", "hmac-sha256", SECRET)).containsExactly("name: \"" + label64
        + ".test\": label \"" + label64 + "\" is 64 characters long, over the 63 a DNS label can have (RFC 1035 §2.3.4)");
    String long254 = ("a".repeat(62) + ".").repeat(4) + "ab";
    assertThat(TsigKey.problems(long254, "hmac-sha256", SECRET)).containsExactly("name: \"" + long254
        + "\" is 254 characters long, over the 253 a DNS name can have (RFC 1035 §2.3.4)");
  }

  @Test
  void neverShowsTheSecret() {
    TsigKey key = new TsigKey("mtasts-operator", "hmac-sha256", SECRET);

    assertThat(key.toString()).isEqualTo("TsigKey[name=mtasts-operator, algorithm=hmac-sha256, secret=(hidden)]")
        .doesNotContain(SECRET);
    assertThat(key.describe()).isEqualTo("mtasts-operator (hmac-sha256)");
    String almost = SECRET.substring(0, 20) + "-" + SECRET.substring(21);
    assertThatThrownBy(() -> new TsigKey("k", "hmac-sha256", almost))
        .hasMessageNotContaining(SECRET.substring(0, 8));
  }
}
