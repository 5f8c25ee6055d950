package dev.mtasts.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;

/** {@code kubectl apply --server-side [--dry-run=server]} with strict field validation, as users apply our YAML. */
public final class ServerSideApply {

  private ServerSideApply() {}

  /** Applies for real; returns the refusal message, if the API server refused. */
  public static Optional<String> apply(KubernetesClient client, String yaml, String namespace) {
    return send(client, yaml, namespace, false);
  }

  /** Server-side dry run: every admission and schema check, nothing stored. */
  public static Optional<String> dryRun(KubernetesClient client, String yaml, String namespace) {
    return send(client, yaml, namespace, true);
  }

  /**
   * A refusal of the object itself: 4xx, or the 500 that server-side apply returns when a value has the wrong type
   * ("failed to create typed patch object ... .spec.maxAge: expected numeric"), which kubectl shows as is.
   */
  private static boolean isRefusal(KubernetesClientException e) {
    if (e.getStatus() == null) {
      return false;
    }
    String message = String.valueOf(e.getStatus().getMessage());
    return e.getCode() >= 400 && e.getCode() < 500
        || e.getCode() == 500 && message.contains("failed to create typed patch object");
  }

  private static Optional<String> send(KubernetesClient client, String yaml, String namespace, boolean dryRun) {
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    if (resource.getMetadata().getNamespace() == null) {
      resource.getMetadata().setNamespace(namespace);
    }
    PatchContext.Builder context = new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager("kubectl")
        .withForce(true)
        .withFieldValidation("Strict");
    if (dryRun) {
      context.withDryRun(List.of("All"));
    }
    try {
      client.resource(resource).patch(context.build());
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (isRefusal(e)) {
        return Optional.of(e.getCode() + " " + e.getStatus().getMessage());
      }
      throw e;
    }
  }
}
