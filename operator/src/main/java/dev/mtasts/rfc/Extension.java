package dev.mtasts.rfc;

import java.util.Objects;
import java.util.Optional;

/** An extension field (name and value), kept in the order it appeared. */
public record Extension(String name, String value) {

  private static final int NAME_LIMIT = 32;

  public Extension {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    nameError(name).ifPresent(e -> {
      throw new IllegalArgumentException(e);
    });
  }

  /**
   * Why a field name is not an extension name, if it is not.
   * RFC 8461 §3.1 sts-ext-name, §3.2 sts-policy-ext-name and RFC 8460 §3 tlsrpt-ext-name are the same:
   * (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").
   */
  public static Optional<String> nameError(String name) {
    if (name.isEmpty()) {
      return Optional.of("empty field name");
    }
    if (!isAlnum(name.charAt(0))) {
      return Optional.of("field name " + Finding.quote(name) + " must start with a letter or digit");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (!(cp < 0x80 && isAlnum((char) cp) || cp == '_' || cp == '-' || cp == '.')) {
        return Optional.of("field name " + Finding.quote(name) + " contains " + shown(cp)
            + "; only letters, digits, \"_\", \"-\" and \".\" are allowed");
      }
      i += Character.charCount(cp);
    }
    if (name.length() > NAME_LIMIT) {
      return Optional.of("field name " + Finding.quote(name) + " is " + name.length()
          + " characters long; at most " + NAME_LIMIT);
    }
    return Optional.empty();
  }

  /**
   * Why a value cannot be a policy-file extension value, if it cannot.
   * RFC 8461 §3.2: sts-policy-ext-value is visible ASCII or UTF-8 with inner spaces only, no CTLs.
   */
  static Optional<String> policyValueError(String name, String value) {
    String field = "extension field " + Finding.quote(name);
    if (value.isEmpty()) {
      return Optional.of(field + " has no value");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (cp == '\t') {
        return Optional.of(field + " has a tab inside its value; only spaces may separate words");
      }
      if (cp < 0x20 || cp == 0x7F) {
        return Optional.of(field + " has control character " + Finding.codePoint(cp) + " in its value");
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        return Optional.of(field + " has an unpaired surrogate " + Finding.codePoint(cp)
            + ", which is not valid UTF-8");
      }
      i += Character.charCount(cp);
    }
    if (value.startsWith(" ") || value.endsWith(" ")) {
      return Optional.of(field + " has leading or trailing spaces in its value");
    }
    return Optional.empty();
  }

  /**
   * Why a value cannot be a TXT-record extension value, if it cannot.
   * RFC 8461 §3.1 sts-ext-value and RFC 8460 §3 tlsrpt-ext-value: 1*(%x21-3A / %x3C / %x3E-7E).
   */
  static Optional<String> txtValueError(String name, String value) {
    String field = "extension " + Finding.quote(name);
    if (value.isEmpty()) {
      return Optional.of(field + " has no value");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (cp == '=' || cp == ';') {
        return Optional.of("value of " + field + " contains " + shown(cp));
      }
      if (cp == ' ') {
        return Optional.of("value of " + field + " contains a space");
      }
      if (cp < 0x21 || cp > 0x7E) {
        return Optional.of("value of " + field + " contains " + Finding.codePoint(cp)
            + ", which is not printable US-ASCII");
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  private static String shown(int cp) {
    return cp >= 0x21 && cp <= 0x7E ? Finding.quote(Character.toString(cp)) : Finding.codePoint(cp);
  }
}
