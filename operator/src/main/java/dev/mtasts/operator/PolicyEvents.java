package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.status.PolicyEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
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
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName() + "."
        + digest(policy.getMetadata().getUid() + event.reason() + event.message());
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    try {
      // Most events are new: create first, and count a repeat only when the name is taken (one call, not two).
      client.v1().events().inNamespace(namespace).resource(newEvent(policy, event, name, now)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        countRepeat(policy, event, name, now);
      } else {
        couldNotRecord(policy, event, e);
      }
    }
  }

  private void countRepeat(MtaStsPolicy policy, PolicyEvent event, String name, String now) {
    try {
      client.v1().events().inNamespace(policy.getMetadata().getNamespace()).withName(name).edit(e ->
          new EventBuilder(e).withCount(e.getCount() == null ? 2 : e.getCount() + 1).withLastTimestamp(now).build());
    } catch (KubernetesClientException e) {
      couldNotRecord(policy, event, e);
    }
  }

  private static Event newEvent(MtaStsPolicy policy, PolicyEvent event, String name, String now) {
    String namespace = policy.getMetadata().getNamespace();
    return new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(policy.getApiVersion())
          .withKind(policy.getKind())
          .withName(policy.getMetadata().getName())
          .withNamespace(namespace)
          .withUid(policy.getMetadata().getUid())
          .withResourceVersion(policy.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(event.reason().type())
        .withReason(event.reason().name())
        .withMessage(event.message())
        .withCount(1)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
  }

  // An event is a courtesy: losing one must not fail the reconciliation that publishes the policy.
  private static void couldNotRecord(MtaStsPolicy policy, PolicyEvent event, KubernetesClientException e) {
    log.warn("policy={}/{} step=event reason={} could not record the event: {}", policy.getMetadata().getNamespace(),
        policy.getMetadata().getName(), event.reason(), e.getMessage());
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
