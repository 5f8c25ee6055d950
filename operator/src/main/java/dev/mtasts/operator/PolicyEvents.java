package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.status.PolicyEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records {@link PolicyEvent}s on a MtaStsPolicy, so that {@code kubectl describe} tells its history. The event
 * name is derived from its content, so a repeat bumps the count instead of piling up new events.
 */
public final class PolicyEvents {

  private static final Logger log = LoggerFactory.getLogger(PolicyEvents.class);
  static final String COMPONENT = "mta-sts-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public PolicyEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void emit(MtaStsPolicy policy, PolicyEvent event) {
    String message = event.message();
    PolicyEvent.Reason reason = event.reason();
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName() + "." + digest(policy.getMetadata().getUid() + reason + message);
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    try {
      Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
      if (existing != null) {
        client.v1().events().inNamespace(namespace).withName(name).edit(e -> new EventBuilder(e)
            .withCount(e.getCount() == null ? 2 : e.getCount() + 1)
            .withLastTimestamp(now)
            .build());
        return;
      }
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withNewInvolvedObject()
            .withApiVersion(policy.getApiVersion())
            .withKind(policy.getKind())
            .withName(policy.getMetadata().getName())
            .withNamespace(namespace)
            .withUid(policy.getMetadata().getUid())
            .withResourceVersion(policy.getMetadata().getResourceVersion())
          .endInvolvedObject()
          .withType(reason.type())
          .withReason(reason.name())
          .withMessage(message)
          .withCount(1)
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: losing one must not fail the reconciliation that publishes the policy.
      log.warn("policy={}/{} step=event reason={} could not record the event: {}",
          namespace, policy.getMetadata().getName(), reason, e.getMessage());
    }
  }

  private static String digest(String content) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
