package dev.mtasts.api.externaldns;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** The records of one DNSEndpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DNSEndpointSpec {

  private List<Endpoint> endpoints = new ArrayList<>();

  public DNSEndpointSpec() {}

  public DNSEndpointSpec(List<Endpoint> endpoints) {
    this.endpoints = endpoints;
  }

  public List<Endpoint> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<Endpoint> endpoints) {
    this.endpoints = endpoints;
  }
}
