package dev.mtasts.api.externaldns;

import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * external-dns's {@code DNSEndpoint} (apis/v1alpha1/dnsendpoint.go): the records external-dns publishes when run
 * with {@code --source=crd}. Our model of their CRD, which external-dns installs; not generated into crds/.
 */
@Group("externaldns.k8s.io")
@Version("v1alpha1")
@Kind("DNSEndpoint")
@Plural("dnsendpoints")
// As external-dns's own CRD: *.k8s.io groups need this approval annotation (used when tests generate a stand-in).
@Annotations("api-approved.kubernetes.io=https://github.com/kubernetes-sigs/external-dns/pull/2007")
public class DNSEndpoint extends CustomResource<DNSEndpointSpec, DNSEndpointStatus> implements Namespaced {

  @Override
  protected DNSEndpointStatus initStatus() {
    return null; // written by external-dns
  }
}
