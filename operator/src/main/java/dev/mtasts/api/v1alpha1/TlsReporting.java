package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where senders send SMTP TLS reports (RFC 8460 §3). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.rua) && size(self.rua) > 0) || (has(self.receive) && self.receive)",
    message = "at least one rua is required unless receive is true (RFC 8460 §3)",
    fieldPath = ".rua",
    reason = "FieldValueRequired")
public class TlsReporting {

  /** The path on each policy host where the operator receives reports POSTed to it (RFC 8460 §3, https:). */
  public static final String RECEIVE_PATH = "/tlsrpt";

  /**
   * RFC 8460 §3: a "mailto:" or "https:" URI; "," and "!" end a URI in the record, and ";" ends the field, so
   * none of them (nor white space) may appear unencoded.
   */
  public static final int MAX_RUA = 5;
  public static final int MAX_RUA_LENGTH = 256;
  public static final String RUA_PATTERN = "^(mailto:[^@,;!\\s]+@[^@,;!\\s]+|https://[^,;!\\s]+)$";

  @Size(min = 1, max = MAX_RUA)
  @JsonPropertyDescription(
      "Report destinations, each a \"mailto:\" URI (\"mailto:tlsrpt@example.com\") or an \"https:\" URI"
          + " (\"https://reports.example.com/tlsrpt\"), 1 to 5, at most 256 characters each; \",\", \";\", \"!\""
          + " and spaces must be percent-encoded (RFC 8460 §3).")
  private List<@Pattern(RUA_PATTERN) @Size(max = MAX_RUA_LENGTH) String> rua;

  @JsonPropertyDescription(
      "When true, the operator receives the reports itself: every domain's _smtp._tls record also names"
          + " https://mta-sts.<domain>/tlsrpt, its policy host passes POSTs of reports on that path to the operator,"
          + " and the reports are kept as TlsRptReport objects beside the policy and summed up in its status."
          + " Needs the operator's report receiver (--report-receiver-url). Default: false.")
  private Boolean receive;

  public List<String> getRua() {
    return rua;
  }

  public void setRua(List<String> rua) {
    this.rua = rua;
  }

  public Boolean getReceive() {
    return receive;
  }

  public void setReceive(Boolean receive) {
    this.receive = receive;
  }

  /** Whether the operator receives this policy's reports over HTTPS. */
  public boolean receives() {
    return Boolean.TRUE.equals(receive);
  }
}
