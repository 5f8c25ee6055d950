package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.status.PolicyEvent;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events as {@code kubectl describe} shows them, on a real API server. */
@ExtendWith(RealKubernetes.class)
class PolicyEventsIT {

  static final String NAMESPACE = "policy-events";

  @Test
  void aRepeatCountsUpAndADifferentMessageIsAnotherEvent(KubernetesCluster cluster) {
    var client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    MtaStsPolicy fixture = enforce("example.com");
    fixture.getMetadata().setNamespace(NAMESPACE);
    MtaStsPolicy policy = client.resource(fixture).create();
    PolicyEvents events = new PolicyEvents(client,
        Clock.fixed(Instant.parse("2026-12-01T10:00:00.500Z"), ZoneOffset.UTC));
    PolicyEvent uncovered = new PolicyEvent(PolicyEvent.Reason.MxNotCovered, "backup.example.net is not covered");

    events.emit(policy, uncovered);
    events.emit(policy, uncovered);
    events.emit(policy, new PolicyEvent(PolicyEvent.Reason.PolicyIdChanged, "policy id (none) -> 1: first"));

    List<Event> recorded = client.v1().events().inNamespace(NAMESPACE).list().getItems();
    assertThat(recorded).hasSize(2);
    assertThat(recorded).filteredOn(e -> e.getReason().equals("MxNotCovered")).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getCount()).isEqualTo(2);
      assertThat(e.getMessage()).isEqualTo("backup.example.net is not covered");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(policy.getMetadata().getUid());
      assertThat(e.getLastTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
    });
    assertThat(recorded).filteredOn(e -> e.getReason().equals("PolicyIdChanged")).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
  }
}
