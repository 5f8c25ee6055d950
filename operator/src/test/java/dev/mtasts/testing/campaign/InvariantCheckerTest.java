package dev.mtasts.testing.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.campaign.InvariantChecker.Invariant;
import dev.mtasts.testing.campaign.InvariantChecker.Violation;
import dev.mtasts.testing.campaign.Timeline.Action;
import dev.mtasts.testing.campaign.Timeline.ActionKind;
import dev.mtasts.testing.campaign.Timeline.DnsAnswer;
import dev.mtasts.testing.campaign.Timeline.SenderSample;
import dev.mtasts.testing.campaign.Timeline.StatusSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The invariants over hand-written timelines: a history that keeps them, and one break of each. */
class InvariantCheckerTest {

  static final String DOMAIN = "d0-r0.example.org";
  static final String ID1 = "2026120100000000";
  static final String ID2 = "2026120100000100";
  static final String ID3 = "2026120100000200";
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  final List<SenderSample> samples = new ArrayList<>();
  final List<StatusSample> statuses = new ArrayList<>();
  final List<Action> actions = new ArrayList<>();

  InvariantCheckerTest() {
    actions.add(new Action(T0, ActionKind.CREATE, DOMAIN, "first"));
    status(1, ID1, "a");
  }

  @Test
  void aChangeServedBeforeItsIdIsPublishedKeepsEveryInvariant() {
    seen(2, ID1, "a");
    edit(3, ActionKind.CONTENT_EDIT);
    status(4, ID2, "b");
    seen(5, ID1, "b"); // the new policy is served, its id not yet published: allowed
    seen(6, ID2, "b");
    edit(7, ActionKind.UNSEEN_EDIT);
    seen(8, ID2, "b");

    assertThat(check()).isEmpty();
  }

  @Test
  void anIdAheadOfItsPolicyIsReported() {
    seen(2, ID1, "a");
    edit(3, ActionKind.CONTENT_EDIT);
    status(4, ID2, "b");
    seen(5, ID2, "a");

    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.SERVED_BEFORE_PUBLISHED);
    assertThat(check().get(0).at()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void anIdTheStatusNeverHeldIsReported() {
    seen(2, ID3, "a");

    assertThat(check()).extracting(Violation::invariant).contains(Invariant.SERVED_BEFORE_PUBLISHED);
  }

  @Test
  void aNewIdWithoutAPolicyChangeIsReported() {
    seen(2, ID1, "a");
    edit(3, ActionKind.UNSEEN_EDIT);
    status(4, ID2, "a");
    seen(5, ID2, "a");

    assertThat(check()).extracting(Violation::invariant)
        .containsExactly(Invariant.ID_CHANGES_ONLY_WITH_THE_POLICY);
  }

  @Test
  void backToTheSamePolicyAfterAnotherWasServedIsAChangeSendersSaw() {
    // An edit given up half-way (its pods served it next to the old id), then the first policy again: a new id, so
    // that senders who fetched the abandoned policy fetch again.
    seen(2, ID1, "a");
    edit(3, ActionKind.CONTENT_EDIT);
    status(4, ID2, "b");
    seen(5, ID1, "b");
    edit(6, ActionKind.CONTENT_EDIT);
    status(7, ID3, "a");
    seen(8, ID3, "a");

    assertThat(check()).isEmpty();
  }

  @Test
  void backToTheSamePolicyWithNothingElseServedIsAnExtraChangeNotABreak() {
    // Found by the campaign (seed -6106171609171611101): an uncovered edit, repaired 4 s later before its pods
    // were ready.
    seen(2, ID1, "a");
    edit(3, ActionKind.CONTENT_EDIT);
    status(4, ID2, "b");
    seen(5, ID1, "a");
    edit(6, ActionKind.CONTENT_EDIT);
    status(7, ID3, "a");
    seen(8, ID3, "a");

    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.EXTRA_ID_CHANGE);
    assertThat(Invariant.EXTRA_ID_CHANGE.breaks()).isFalse();
  }

  @Test
  void moreIdsThanChangesAreReported() {
    seen(2, ID1, "a");
    edit(3, ActionKind.CONTENT_EDIT);
    status(4, ID2, "b");
    status(5, ID3, "c");
    seen(6, ID3, "c");

    assertThat(check()).extracting(Violation::invariant)
        .containsExactly(Invariant.ID_CHANGES_ONLY_WITH_THE_POLICY);
  }

  @Test
  void anIdGoingBackIsReported() {
    status(2, ID2, "b");
    edit(2, ActionKind.CONTENT_EDIT);
    edit(2, ActionKind.CONTENT_EDIT);
    status(3, ID3, "a");
    seen(4, ID2, "b");
    seen(5, ID1, "a");

    assertThat(check()).extracting(Violation::invariant).contains(Invariant.IDS_ONLY_GROW);
  }

  @Test
  void aRecordGoneWhileThePolicyExistsIsReported() {
    seen(2, ID1, "a");
    samples.add(new SenderSample(T0.plusSeconds(3), DOMAIN, DnsAnswer.NO_RECORD, Optional.empty(), Optional.of("a"),
        ""));

    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT);
  }

  @Test
  void aPolicyUrlThatStopsServingIsReported() {
    seen(2, ID1, "a");
    samples.add(new SenderSample(T0.plusSeconds(3), DOMAIN, DnsAnswer.RECORD, Optional.of(ID1), Optional.empty(),
        "answered HTTP/1.1 404"));

    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT);
  }

  @Test
  void noAnswerDuringADnsOutageAndNothingAfterADeletionAreNoWithdrawal() {
    seen(2, ID1, "a");
    actions.add(new Action(T0.plusSeconds(10), ActionKind.FAULT_START, InvariantChecker.DNS_SERVER, "killed"));
    samples.add(new SenderSample(T0.plusSeconds(11), DOMAIN, DnsAnswer.NO_ANSWER, Optional.empty(),
        Optional.empty(), "no A record"));
    // The last query in flight as the server came back: an empty answer, inside the margin.
    samples.add(new SenderSample(T0.plusSeconds(16), DOMAIN, DnsAnswer.NO_RECORD, Optional.empty(),
        Optional.empty(), "no A record"));
    actions.add(new Action(T0.plusSeconds(15), ActionKind.FAULT_END, InvariantChecker.DNS_SERVER, "healed"));
    seen(20, ID1, "a");
    actions.add(new Action(T0.plusSeconds(30), ActionKind.DELETE, DOMAIN, "deleted"));
    samples.add(new SenderSample(T0.plusSeconds(31), DOMAIN, DnsAnswer.NO_RECORD, Optional.empty(),
        Optional.empty(), "no A record"));

    assertThat(check()).isEmpty();
  }

  @Test
  void anAddressQueryLeftUnansweredIsNoWithdrawalButNoRecordIs() {
    // Found by the campaign (seed 1, eight domains): two busy cores, and the DNS server answered late.
    seen(2, ID1, "a");
    samples.add(new SenderSample(T0.plusSeconds(3), DOMAIN, DnsAnswer.RECORD, Optional.of(ID1), Optional.empty(),
        Timeline.NO_ADDRESS_ANSWER));
    seen(4, ID1, "a");
    assertThat(check()).isEmpty();

    samples.add(new SenderSample(T0.plusSeconds(5), DOMAIN, DnsAnswer.RECORD, Optional.of(ID1), Optional.empty(),
        "the policy host has no A record"));
    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT);
  }

  @Test
  void theSameFaultWindowOutsideItsMarginIsAWithdrawal() {
    seen(2, ID1, "a");
    actions.add(new Action(T0.plusSeconds(10), ActionKind.FAULT_START, InvariantChecker.DNS_SERVER, "killed"));
    actions.add(new Action(T0.plusSeconds(15), ActionKind.FAULT_END, InvariantChecker.DNS_SERVER, "healed"));
    samples.add(new SenderSample(T0.plusSeconds(19), DOMAIN, DnsAnswer.NO_RECORD, Optional.empty(),
        Optional.empty(), "no A record"));

    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT);
  }

  @Test
  void aReCreatedPolicyMayStartWithoutARecord() {
    seen(2, ID1, "a");
    actions.add(new Action(T0.plusSeconds(3), ActionKind.DELETE, DOMAIN, "deleted"));
    actions.add(new Action(T0.plusSeconds(5), ActionKind.CREATE, DOMAIN, "again"));
    samples.add(new SenderSample(T0.plusSeconds(6), DOMAIN, DnsAnswer.NO_RECORD, Optional.empty(), Optional.empty(),
        "no A record"));
    status(7, ID2, "a");
    seen(8, ID2, "a");

    assertThat(check()).isEmpty();
  }

  @Test
  void theDeletedPolicysRecordAndUrlGoingAwayAfterARecreationAreNoWithdrawal() {
    // Found by the campaign (seed -3022532737223570680): deleted and created again at once, the domain still had
    // the old record in DNS, and the URL first the old policy, then a certificate without its name.
    seen(2, ID1, "a");
    actions.add(new Action(T0.plusSeconds(3), ActionKind.DELETE, DOMAIN, "deleted"));
    actions.add(new Action(T0.plusSeconds(4), ActionKind.CREATE, DOMAIN, "again"));
    seen(5, ID1, "a");
    samples.add(new SenderSample(T0.plusSeconds(6), DOMAIN, DnsAnswer.RECORD, Optional.of(ID1), Optional.empty(),
        "SSLHandshakeException: No subject alternative DNS name matching"));
    status(7, ID2, "a");
    seen(8, ID2, "a");

    assertThat(check()).isEmpty();

    samples.add(new SenderSample(T0.plusSeconds(9), DOMAIN, DnsAnswer.RECORD, Optional.of(ID2), Optional.empty(),
        "answered HTTP/1.1 404"));
    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT);
  }

  @Test
  void aNewerPolicyServedWhoseIdNoStatusSampleCaughtIsNoViolation() {
    // Found by the campaign (seed -3022532737223570679): two edits 50 ms apart; the status held the first one's id
    // between two samples, while its pods already served it next to DNS's older id.
    actions.set(0, new Action(T0, ActionKind.CREATE, DOMAIN, "first", Optional.of("a")));
    seen(2, ID1, "a");
    actions.add(new Action(T0.plusSeconds(3), ActionKind.CONTENT_EDIT, DOMAIN, "t", Optional.of("t")));
    actions.add(new Action(T0.plusSeconds(3).plusMillis(50), ActionKind.CONTENT_EDIT, DOMAIN, "e", Optional.of("e")));
    status(4, ID3, "e");
    seen(5, ID1, "t");

    assertThat(check()).isEmpty();

    // A policy asked for before the id's own is older: served under the newer id, it is the break.
    actions.add(new Action(T0.minusSeconds(1), ActionKind.CONTENT_EDIT, DOMAIN, "o", Optional.of("o")));
    seen(6, ID3, "o");
    assertThat(check()).extracting(Violation::invariant).containsExactly(Invariant.SERVED_BEFORE_PUBLISHED);
  }

  List<Violation> check() {
    return InvariantChecker.check(DOMAIN, samples, statuses, actions.stream()
        .sorted(java.util.Comparator.comparing(Action::at)).toList());
  }

  void seen(int second, String id, String hash) {
    samples.add(new SenderSample(T0.plusSeconds(second), DOMAIN, DnsAnswer.RECORD, Optional.of(id),
        Optional.of(hash), ""));
  }

  void status(int second, String id, String hash) {
    statuses.add(new StatusSample(T0.plusSeconds(second), "d0", Optional.of(id), Optional.of(hash), false, ""));
  }

  void edit(int second, ActionKind kind) {
    actions.add(new Action(T0.plusSeconds(second), kind, DOMAIN, kind.name()));
  }
}
