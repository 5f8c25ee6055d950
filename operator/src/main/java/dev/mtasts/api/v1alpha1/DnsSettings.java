package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How the TXT records are published. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsSettings {

  public static final long MIN_TTL = 30;
  public static final long MAX_TTL = 86400;

  @Min(MIN_TTL)
  @Max(MAX_TTL)
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
