package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ConfigMap mounted into the policy server: the policy file and the nginx configuration (which also passes the
 * TLS reports on to the operator when the policy receives them).
 */
public final class PolicyConfigMap {

  public static final String POLICY_KEY = "mta-sts.txt";
  public static final String NGINX_KEY = "nginx.conf";
  /**
   * The policy hosts this file is served for, comma-separated: what the shared policy server reads of the other
   * policies of the namespace, as each one's own last valid decision left it.
   */
  public static final String HOSTS_ANNOTATION = "mtasts.dev/policy-hosts";
  /** Present, "true", when the policy's reports are passed on to the operator. */
  public static final String RECEIVES_REPORTS_ANNOTATION = "mtasts.dev/receives-reports";

  private PolicyConfigMap() {}

  public static ConfigMap desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(POLICY_KEY, published.content().body());
    data.put(NGINX_KEY, NginxConfig.inPod()
        .withReports(NginxConfig.ReportForwarding.of(published.content(), settings)).render());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(HOSTS_ANNOTATION, String.join(",", published.domains().stream().map(ObjectNames::policyHost)
        .sorted().toList()));
    NginxConfig.ReportForwarding.of(published.content(), settings)
        .ifPresent(f -> annotations.put(RECEIVES_REPORTS_ANNOTATION, "true"));
    return new ConfigMapBuilder()
        .withMetadata(StandardLabels.metadata(policy, ObjectNames.configMap(policy), StandardLabels.POLICY_FILE))
        .editMetadata().withAnnotations(annotations).endMetadata()
        .withData(data)
        .build();
  }
}
