package dev.mtasts.testing.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Plans: a seed replays its plan, and enough seeds reach every fault and every kind of step. */
class PlanTest {

  @Test
  void aSeedReplaysItsPlan() {
    assertThat(Plan.random(42, 3, 4, 5)).isEqualTo(Plan.random(42, 3, 4, 5));
    assertThat(Plan.random(42, 3, 4, 5)).isNotEqualTo(Plan.random(43, 3, 4, 5));
  }

  @Test
  void fiftySeedsReachEveryFaultAndEveryKindOfStep() {
    Set<Fault> faults = EnumSet.noneOf(Fault.class);
    Set<Class<?>> steps = new HashSet<>();
    Set<Timeline.ActionKind> applies = EnumSet.noneOf(Timeline.ActionKind.class);
    LongStream.range(0, 50).mapToObj(seed -> Plan.random(seed, 0, 8, 4)).flatMap(p -> p.steps().stream())
        .forEach(step -> {
          steps.add(step.getClass());
          if (step instanceof Plan.StartFault start) {
            faults.add(start.fault());
          }
          if (step instanceof Plan.Apply apply) {
            applies.add(apply.kind());
          }
        });
    assertThat(faults).containsExactlyInAnyOrder(Fault.values());
    assertThat(steps).contains(Plan.Apply.class, Plan.Delete.class, Plan.Conflict.class, Plan.EndConflict.class,
        Plan.StartFault.class, Plan.EndFault.class, Plan.Pause.class);
    assertThat(applies).contains(Timeline.ActionKind.CREATE, Timeline.ActionKind.CONTENT_EDIT,
        Timeline.ActionKind.UNSEEN_EDIT, Timeline.ActionKind.INVALID_EDIT);
  }

  @Test
  void everyDocumentAppliedReadsBackAsItsModelSaysIt() {
    var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    LongStream.range(0, 20).mapToObj(seed -> Plan.random(seed, 0, 4, 4)).flatMap(p -> p.steps().stream())
        .filter(Plan.Apply.class::isInstance).map(Plan.Apply.class::cast).map(Plan.Apply::policy).forEach(model -> {
          var policy = serialization.unmarshal(model.yaml(), dev.mtasts.api.v1alpha1.MtaStsPolicy.class);
          assertThat(policy.getSpec().getDomains()).containsExactly(model.domain());
          if (model.invalid()) {
            assertThat(policy.getSpec().getDiscoverMx()).isTrue();
          } else {
            assertThat(policy.getSpec().getMx()).isEqualTo(model.mx());
          }
          assertThat(policy.getSpec().getServer().getReplicas()).isEqualTo(model.replicas());
        });
  }

  @Test
  void everyFaultEndsAndTheRoundEndsWithValidPolicies() {
    for (long seed = 0; seed < 50; seed++) {
      Plan plan = Plan.random(seed, 0, 4, 6);
      int open = 0;
      for (Plan.Step step : plan.steps()) {
        if (step instanceof Plan.StartFault) {
          assertThat(open).as("seed %d: one fault at a time", seed).isZero();
          open++;
        } else if (step instanceof Plan.EndFault) {
          open--;
        }
      }
      assertThat(open).as("seed %d: faults left holding", seed).isZero();
      // Replaying the applies over the first policies leaves each domain valid, covered and existing.
      var last = new java.util.HashMap<String, PolicyModel>();
      var deleted = new HashSet<String>();
      plan.initial().forEach(p -> last.put(p.domain(), p));
      for (Plan.Step step : plan.steps()) {
        if (step instanceof Plan.Apply apply) {
          last.put(apply.policy().domain(), apply.policy());
          deleted.remove(apply.policy().domain());
        } else if (step instanceof Plan.Delete delete) {
          deleted.add(delete.policy().domain());
        }
      }
      assertThat(deleted).as("seed %d", seed).isEmpty();
      assertThat(last.values()).as("seed %d", seed).noneMatch(PolicyModel::invalid).noneMatch(PolicyModel::uncovered);
    }
  }
}
