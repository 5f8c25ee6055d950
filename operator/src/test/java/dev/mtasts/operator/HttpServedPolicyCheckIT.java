package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyContent;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.TestPolicies;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served-policy check against real nginx: the current policy, another policy, and no server at all. */
class HttpServedPolicyCheckIT {

  final HttpServedPolicyCheck check = new HttpServedPolicyCheck();

  @Test
  void tellsTheCurrentPolicyFromAnotherAndFromNoAnswer(@TempDir Path dir) throws Exception {
    var policy = enforce("example.com");
    PolicyContent current = TestPolicies.content(policy);
    var configMap = PolicyConfigMap.desired(policy, OperatorSettings.defaults(), TestPolicies.published(policy, "1"));

    try (LocalNginx nginx = LocalNginx.serve(configMap.getData(), dir)) {
      URI uri = URI.create(nginx.url("/.well-known/mta-sts.txt"));

      assertThat(check.fetch(uri, current.hash()).outcome()).isEqualTo(Outcome.SERVED);
      var stale = check.fetch(uri, "0".repeat(64));
      assertThat(stale.outcome()).isEqualTo(Outcome.WRONG_POLICY);
      assertThat(stale.message()).contains("answered 200 with policy hash " + current.hash().substring(0, 12));
      assertThat(check.fetch(URI.create(nginx.url("/elsewhere")), current.hash()).outcome())
          .isEqualTo(Outcome.WRONG_POLICY);
    }
    assertThat(check.fetch(URI.create("http://127.0.0.1:9/.well-known/mta-sts.txt"), current.hash()).outcome())
        .as("nothing listens on the discard port").isEqualTo(Outcome.UNREACHABLE);
  }
}
