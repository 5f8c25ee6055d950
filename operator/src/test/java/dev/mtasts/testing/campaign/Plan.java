package dev.mtasts.testing.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random history for one round, from its seed alone (so a printed seed replays it): the domains' first
 * policies, then spec edits, deletions, re-creations, rival claims and invalid edits, with fault episodes between
 * and around them, and last a repair that leaves every domain with a valid policy.
 */
public record Plan(long seed, List<PolicyModel> initial, List<Step> steps) {

  /** One thing the runner does. */
  public sealed interface Step {
  }

  /** Applies the policy; kind says whether senders see the change. */
  public record Apply(PolicyModel policy, Timeline.ActionKind kind, String detail) implements Step {
  }

  public record Delete(PolicyModel policy) implements Step {
  }

  /** A second policy claiming the domain, refused while the first exists; removed later by {@link EndConflict}. */
  public record Conflict(PolicyModel policy, String rival) implements Step {
  }

  public record EndConflict(PolicyModel policy, String rival) implements Step {
  }

  public record StartFault(Fault fault) implements Step {
  }

  public record EndFault(Fault fault) implements Step {
  }

  public record Pause(Duration duration) implements Step {
  }

  /** Name and domain of the i-th domain of a round: policy d{i} for d{i}-r{round}.example.org. */
  public static PolicyModel domain(int round, int i, boolean hasMx) {
    return PolicyModel.first("d" + i, "d" + i + "-r" + round + ".example.org", hasMx);
  }

  /**
   * The plan for a round of n domains (every second one has MX records) and the given number of fault
   * episodes, each holding its fault over zero to two edits.
   */
  public static Plan random(long seed, int round, int domains, int episodes) {
    Random random = new Random(seed);
    List<PolicyModel> current = new ArrayList<>();
    for (int i = 0; i < domains; i++) {
      current.add(domain(round, i, i % 2 == 0));
    }
    List<PolicyModel> initial = List.copyOf(current);
    boolean[] deleted = new boolean[domains];
    List<Step> steps = new ArrayList<>();
    Fault[] faults = Fault.values();
    for (int episode = 0; episode < episodes; episode++) {
      // Outside a fault: one edit of any kind, invalid input and rival claims included (their refusal is checked
      // while the operator can answer).
      steps.addAll(edit(random, current, deleted, true));
      Fault fault = faults[random.nextInt(faults.length)];
      steps.add(new StartFault(fault));
      // Nobody can apply while the control plane is down (kubectl fails, Argo CD retries later): the edits come
      // after it, while every watch is reconnecting.
      boolean controlPlane = fault == Fault.API_SERVER_RESTARTED || fault == Fault.ETCD_RESTARTED;
      int during = controlPlane ? 0 : random.nextInt(3);
      for (int e = 0; e < during; e++) {
        steps.addAll(edit(random, current, deleted, false));
        steps.add(new Pause(Duration.ofMillis(200 + random.nextInt(1500))));
      }
      steps.add(new Pause(Duration.ofMillis(1000 + random.nextInt(5000))));
      steps.add(new EndFault(fault));
      steps.add(new Pause(Duration.ofMillis(random.nextInt(3000))));
      if (controlPlane) {
        steps.addAll(edit(random, current, deleted, false));
      }
    }
    // The repair: every domain gets a valid, covered policy, as a team fixing its Git would.
    for (int i = 0; i < domains; i++) {
      PolicyModel model = current.get(i);
      PolicyModel fixed = model.invalid() || model.uncovered()
          ? model.withContent(model.mode(), List.of(PolicyModel.mx(model.domain(), 1),
              PolicyModel.mx(model.domain(), 2)), model.maxAge())
          : model;
      current.set(i, fixed);
      if (deleted[i]) {
        steps.add(new Apply(fixed, Timeline.ActionKind.CREATE, "re-created"));
      } else if (fixed != model) {
        steps.add(new Apply(fixed, Timeline.ActionKind.CONTENT_EDIT, "repaired"));
      }
    }
    return new Plan(seed, initial, steps);
  }

  private static List<Step> edit(Random random, List<PolicyModel> current, boolean[] deleted, boolean checkable) {
    int i = random.nextInt(current.size());
    PolicyModel model = current.get(i);
    if (deleted[i]) {
      deleted[i] = false;
      return List.of(new Apply(model, Timeline.ActionKind.CREATE, "re-created"));
    }
    int choice = random.nextInt(checkable ? 10 : 7);
    switch (choice) {
      case 0, 1, 2 -> {
        PolicyModel next = changedContent(random, model);
        current.set(i, next);
        return List.of(new Apply(next, Timeline.ActionKind.CONTENT_EDIT, next.seen()));
      }
      case 3, 4, 5 -> {
        PolicyModel next = changedUnseen(random, model);
        current.set(i, next);
        return List.of(new Apply(next, Timeline.ActionKind.UNSEEN_EDIT, "replicas " + next.replicas() + ", ttl "
            + next.ttl() + ", team " + next.team() + (next.otherIssuer() ? ", other issuer" : "")));
      }
      case 6 -> {
        deleted[i] = true;
        return List.of(new Delete(model));
      }
      case 7 -> {
        String rival = model.name() + "-rival";
        return List.of(new Conflict(model, rival), new Pause(Duration.ofMillis(500 + random.nextInt(2500))),
            new EndConflict(model, rival));
      }
      default -> {
        if (model.hasMx()) {
          // Leaves mx2 out in enforce mode: published (senders still deliver to mx1), and MxCovered names mx2.
          PolicyModel next = model.withContent("enforce", List.of(PolicyModel.mx(model.domain(), 1)),
              model.maxAge());
          current.set(i, next);
          return List.of(new Apply(next, next.seen().equals(model.seen()) ? Timeline.ActionKind.UNSEEN_EDIT
              : Timeline.ActionKind.CONTENT_EDIT, "uncovered: " + next.seen()));
        }
        PolicyModel next = model.discoveringWithoutMx();
        current.set(i, next);
        return List.of(new Apply(next, Timeline.ActionKind.INVALID_EDIT, "discoverMx without MX records"));
      }
    }
  }

  private static PolicyModel changedContent(Random random, PolicyModel model) {
    while (true) {
      String mode = random.nextInt(3) == 0 ? "testing" : "enforce";
      List<String> mx = random.nextBoolean()
          ? List.of(PolicyModel.mx(model.domain(), 1), PolicyModel.mx(model.domain(), 2))
          : List.of("*." + model.domain());
      long maxAge = 86400L * (1 + random.nextInt(14));
      PolicyModel next = model.withContent(mode, mx, maxAge);
      if (!next.seen().equals(model.seen())) {
        return next;
      }
    }
  }

  private static PolicyModel changedUnseen(Random random, PolicyModel model) {
    return switch (random.nextInt(4)) {
      case 0 -> model.withUnseen(model.replicas() == 2 ? 3 : 2, model.ttl(), model.team(), model.otherIssuer());
      case 1 -> model.withUnseen(model.replicas(), model.ttl() == 60 ? 120 : 60, model.team(), model.otherIssuer());
      case 2 -> model.withUnseen(model.replicas(), model.ttl(), model.team().equals("a") ? "b" : "a",
          model.otherIssuer());
      default -> model.withUnseen(model.replicas(), model.ttl(), model.team(), !model.otherIssuer());
    };
  }
}
