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

  private PolicyConfigMap() {}

  public static ConfigMap desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(POLICY_KEY, published.content().body());
    data.put(NGINX_KEY, NginxConfig.inPod()
        .withReports(NginxConfig.ReportForwarding.of(published.content(), settings)).render());
    return new ConfigMapBuilder()
        .withMetadata(StandardLabels.metadata(policy, ObjectNames.configMap(policy), StandardLabels.POLICY_FILE))
        .withData(data)
        .build();
  }
}
