package dev.mtasts.api.externaldns;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * external-dns sets observedGeneration when it has read the object (source/crd.go), not when the record is live:
 * only a DNS query proves the record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DNSEndpointStatus {

  private Long observedGeneration;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
