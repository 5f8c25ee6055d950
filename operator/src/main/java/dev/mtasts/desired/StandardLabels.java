package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The app.kubernetes.io labels and the owner reference every owned object carries. */
public final class StandardLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String APP_NAME = "mta-sts";
  public static final String OPERATOR = "mta-sts-operator";

  /** Components, one per kind of owned object. */
  public static final String POLICY_FILE = "policy-file";
  public static final String POLICY_SERVER = "policy-server";
  public static final String POLICY_HOST = "policy-host";
  public static final String CERTIFICATE = "certificate";
  public static final String DNS_RECORDS = "dns-records";
  public static final String TLS_REPORT = "tls-report";

  private StandardLabels() {}

  /** The labels that select the policy server's pods; never changed, since a Deployment's selector is immutable. */
  public static Map<String, String> selector(MtaStsPolicy policy, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP_NAME);
    labels.put(INSTANCE, policy.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }

  public static Map<String, String> of(MtaStsPolicy policy, String component) {
    Map<String, String> labels = selector(policy, component);
    labels.put(PART_OF, APP_NAME);
    labels.put(MANAGED_BY, OPERATOR);
    return labels;
  }

  /**
   * Name, namespace, labels and owner reference of an owned object, so that Kubernetes deletes it with the policy.
   * A policy read from a file has no uid yet; its objects then carry no owner reference.
   */
  public static ObjectMeta metadata(MtaStsPolicy policy, String name, String component) {
    ObjectMetaBuilder meta = new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(policy.getMetadata().getNamespace())
        .withLabels(of(policy, component));
    String uid = policy.getMetadata().getUid();
    if (uid != null && !uid.isEmpty()) {
      meta.withOwnerReferences(List.of(ownerReference(policy)));
    }
    return meta.build();
  }

  private static OwnerReference ownerReference(MtaStsPolicy policy) {
    return new OwnerReferenceBuilder()
        .withApiVersion(policy.getApiVersion())
        .withKind(policy.getKind())
        .withName(policy.getMetadata().getName())
        .withUid(policy.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
