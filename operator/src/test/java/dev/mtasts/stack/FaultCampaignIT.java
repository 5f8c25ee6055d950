package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.campaign.CampaignRound;
import dev.mtasts.testing.campaign.CampaignReport;
import dev.mtasts.testing.campaign.Plan;
import dev.mtasts.testing.campaign.PolicyModel;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault campaign: random histories on the real stack (spec edits senders see and edits they must not, deletions
 * and re-creations, rival claims, invalid input) with faults between and around them (operator replicas and the
 * leader killed, kube-apiserver and etcd killed and restarted, external-dns, the DNS server and cert-manager
 * stopped, a stalled rollout, the policy URL unreachable from the operator), each checked against the mail-flow
 * invariants of {@link dev.mtasts.testing.campaign.InvariantChecker}. A run prints its seed; the same seed replays
 * the same plan: {@code -Dcampaign.seed=N}. The default is one round of four histories; the campaign profile
 * ({@code ./mvnw -Pcampaign verify}) runs the long campaign. Regression seeds, each once a failure, run first.
 */
@ExtendWith(RealStackExtension.class)
class FaultCampaignIT {

  /**
   * Seeds that once broke an invariant, kept so the fix stays. 1: the new leader after a LEADER_KILLED never
   * looked up a policy's DNS ("DNS has not been looked up yet" until DnsNotAnswering; DnsAnswerPolling dropped a
   * poll that found the policy not yet cached), in two of three runs.
   */
  static final List<Long> REGRESSIONS = List.of(1L);

  @Test
  void theMailFlowInvariantsHoldThroughRandomFaults(RealStack stack) throws Exception {
    long seed = Long.getLong("mtasts.campaign.seed", new SecureRandom().nextLong());
    int rounds = Integer.getInteger("mtasts.campaign.rounds", 1);
    int domains = Integer.getInteger("mtasts.campaign.domains", 4);
    int episodes = Integer.getInteger("mtasts.campaign.episodes", 4);
    Path dir = Files.createDirectories(stack.dir().resolve("campaign"));
    System.out.printf("fault campaign: seed %d, %d rounds of %d domains, %d fault episodes each; logs in %s%n",
        seed, rounds, domains, episodes, dir);
    stack.addCaIssuer(PolicyModel.OTHER_ISSUER);

    List<Long> seeds = new ArrayList<>(REGRESSIONS);
    for (int round = 0; round < rounds; round++) {
      seeds.add(seed + round);
    }
    CampaignReport report = new CampaignReport();
    for (int round = 0; round < seeds.size(); round++) {
      Plan plan = Plan.random(seeds.get(round), round, domains, episodes);
      CampaignRound.Result result = CampaignRound.run(stack, plan, round, dir);
      report.add(result);
      System.out.println(CampaignReport.line(result));
    }
    String summary = report.summary();
    System.out.println(summary);
    Files.writeString(Path.of("target", "fault-campaign.txt"), summary);
    assertThat(report.violations()).as("invariant violations (seed %d; rerun with -Dcampaign.seed)", seed)
        .isEmpty();
    assertThat(report.histories()).isEqualTo(seeds.size() * domains);
  }
}
