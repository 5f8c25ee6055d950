package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Where senders send SMTP TLS reports (RFC 8460 §3). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsReporting {

  /**
   * RFC 8460 §3: a "mailto:" or "https:" URI; "," and "!" end a URI in the record, and ";" ends the field, so
   * none of them (nor white space) may appear unencoded.
   */
  public static final int MAX_RUA = 5;
  public static final int MAX_RUA_LENGTH = 256;
  public static final String RUA_PATTERN = "^(mailto:[^@,;!\\s]+@[^@,;!\\s]+|https://[^,;!\\s]+)$";

  @Required
  @Size(min = 1, max = MAX_RUA)
  @JsonPropertyDescription(
      "Report destinations, each a \"mailto:\" URI (\"mailto:tlsrpt@example.com\") or an \"https:\" URI"
          + " (\"https://reports.example.com/tlsrpt\"), 1 to 5, at most 256 characters each; \",\", \";\", \"!\""
          + " and spaces must be percent-encoded (RFC 8460 §3).")
  private List<@Pattern(RUA_PATTERN) @Size(max = MAX_RUA_LENGTH) String> rua;

  public List<String> getRua() {
    return rua;
  }

  public void setRua(List<String> rua) {
    this.rua = rua;
  }
}
