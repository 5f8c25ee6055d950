package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How the TXT records are published. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsSettings {

  @Min(30)
  @Max(86400)
  @JsonPropertyDescription(
      "TTL of the TXT records, in seconds: 30 to 86400. A short TTL lets a new policy id reach senders sooner."
          + " Default: the operator's --default-dns-ttl.")
  private Long ttl;

  public Long getTtl() {
    return ttl;
  }

  public void setTtl(Long ttl) {
    this.ttl = ttl;
  }
}
