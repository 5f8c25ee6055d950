package dev.mtasts.rfc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@code _mta-sts} TXT record of RFC 8461 §3.1: the policy id and extension fields. */
public record StsRecord(String id, List<Extension> extensions) {

  static final String VERSION = "v=STSv1";
  private static final int ID_LIMIT = 32;

  public StsRecord {
    Objects.requireNonNull(id, "id");
    extensions = List.copyOf(extensions);
    idError(id).ifPresent(e -> {
      throw new IllegalArgumentException(e + " (RFC 8461 §3.1)");
    });
    for (Extension e : extensions) {
      if (e.name().equals("v") || e.name().equals("id")) {
        throw new IllegalArgumentException("extension " + Finding.quote(e.name())
            + " would repeat a registered field (RFC 8461 §3.1)");
      }
      Extension.txtValueError(e.name(), e.value()).ifPresent(p -> {
        throw new IllegalArgumentException(p + " (RFC 8461 §3.1)");
      });
    }
  }

  /** A record with just an id, which is all our operator publishes. */
  public static StsRecord of(String id) {
    return new StsRecord(id, List.of());
  }

  /** The TXT value, e.g. {@code v=STSv1; id=2025010112000000}, then any extensions as {@code ; name=value}. */
  public String render() {
    StringBuilder txt = new StringBuilder(VERSION).append("; id=").append(id);
    extensions.forEach(e -> txt.append("; ").append(e.name()).append('=').append(e.value()));
    return txt.toString();
  }

  /** Parses one TXT value (its strings already joined without spaces), reporting every problem. */
  public static ParseResult<StsRecord> parse(String txt) {
    return StsRecordParser.parse(txt);
  }

  /**
   * Applies RFC 8461 §3.1 to all TXT values at {@code _mta-sts.<domain>}: values not beginning with "v=STSv1;"
   * are discarded, and unless exactly one remains and it is valid, senders assume there is no policy.
   */
  public static ParseResult<StsRecord> parseAll(List<String> txtValues) {
    return TxtRecordSet.select(txtValues, VERSION, "an MTA-STS",
        "senders assume the domain has no MTA-STS policy", RfcSection.RFC8461_3_1, StsRecordParser::parse);
  }

  /**
   * Whether a TXT value is meant as an MTA-STS record: after any leading whitespace it starts with "v=STS" in any
   * case (so also "V=STSv1 id=1"). These are the values parseAll reads or warns about; any other value (an SPF
   * record, say) is unrelated.
   */
  public static boolean hasVersionTag(String txt) {
    return TxtRecordSet.looksLike(txt, VERSION);
  }

  /** Why a string cannot be a policy id, if it cannot. RFC 8461 §3.1: sts-id = 1*32(ALPHA / DIGIT). */
  public static Optional<String> idError(String id) {
    if (id.isEmpty()) {
      return Optional.of("id has no value");
    }
    if (!id.chars().allMatch(c -> c < 0x80 && Extension.isAlnum((char) c))) {
      return Optional.of("id " + Finding.quote(id) + " may only contain letters and digits");
    }
    if (id.length() > ID_LIMIT) {
      return Optional.of("id " + Finding.quote(id) + " is " + id.length() + " characters long; at most " + ID_LIMIT);
    }
    return Optional.empty();
  }
}
