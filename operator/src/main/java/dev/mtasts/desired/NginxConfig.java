package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyContent;
import dev.mtasts.reports.HttpsReportReceiver;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The nginx configuration that serves one policy file: only {@code /.well-known/mta-sts.txt} as text/plain, a
 * health path, 404 for everything else, and never a redirect (RFC 8461 §3.3: senders do not follow redirects).
 * When the policy receives its TLS reports, {@code /tlsrpt} also passes POSTs of reports on to the operator.
 *
 * @param port the port nginx listens on
 * @param policyFile the policy file's absolute path
 * @param runtimeDir a writable folder for the pid file and temporary files (the root filesystem is read-only)
 * @param reports where reports POSTed to {@code /tlsrpt} go; empty: that path is 404 like any other
 * @param policiesRoot for the shared policy server: the folder holding one policy file per policy host, named as
 *     the host, served by the request's Host (an unknown host is 404); null for a policy's own server
 * @param reportingHosts for the shared policy server: the hosts whose reports go on; any other is 404 there
 */
public record NginxConfig(int port, String policyFile, String runtimeDir, Optional<ReportForwarding> reports,
    String policiesRoot, List<String> reportingHosts) {

  public static final String HEALTH_PATH = "/healthz";
  /** How long nginx waits for the next bytes of a report body before giving up on the sender (408). */
  public static final int REPORT_BODY_TIMEOUT_SECONDS = 10;

  public NginxConfig {
    Objects.requireNonNull(reports, "reports");
    reportingHosts = List.copyOf(reportingHosts);
  }

  public NginxConfig(int port, String policyFile, String runtimeDir, Optional<ReportForwarding> reports) {
    this(port, policyFile, runtimeDir, reports, null, List.of());
  }

  public NginxConfig(int port, String policyFile, String runtimeDir) {
    this(port, policyFile, runtimeDir, Optional.empty());
  }

  /** The layout inside the policy server pod. */
  public static NginxConfig inPod() {
    return new NginxConfig(
        PolicyServerDeployment.HTTP_PORT,
        PolicyServerDeployment.CONFIG_DIR + "/" + PolicyConfigMap.POLICY_KEY,
        PolicyServerDeployment.RUNTIME_DIR);
  }

  /**
   * The layout inside a shared policy server pod: the policy files of every policy it serves in one folder, one per
   * policy host; reports go on for {@code reportingHosts} only, where the operator has a receiver.
   */
  public static NginxConfig sharedInPod(Optional<URI> receiver, List<String> resolvers, List<String> reportingHosts) {
    Optional<ReportForwarding> forwarding = reportingHosts.isEmpty() ? Optional.empty()
        : receiver.map(uri -> new ReportForwarding(uri, resolvers));
    return new NginxConfig(PolicyServerDeployment.HTTP_PORT, null, PolicyServerDeployment.RUNTIME_DIR, forwarding,
        SharedPolicyServer.POLICIES_DIR, forwarding.isEmpty() ? List.of() : reportingHosts);
  }

  /** The same configuration, passing reports on as {@code forwarding} says. */
  public NginxConfig withReports(Optional<ReportForwarding> forwarding) {
    return new NginxConfig(port, policyFile, runtimeDir, forwarding, policiesRoot, reportingHosts);
  }

  /**
   * Where the policy server passes on the reports POSTed to it.
   *
   * @param receiver the operator's receiver, {@code http://host:port}; its path, if any, is ignored
   * @param resolvers the DNS servers nginx asks for the receiver's name, per report
   */
  public record ReportForwarding(URI receiver, List<String> resolvers) {

    // What may go into the configuration file: nothing that could end a directive or start another.
    private static final Pattern RESOLVER = Pattern.compile("[0-9A-Za-z.:\\[\\]-]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public ReportForwarding {
      Objects.requireNonNull(receiver, "receiver");
      resolvers = List.copyOf(resolvers);
      if (!"http".equals(receiver.getScheme()) || receiver.getHost() == null) {
        throw new IllegalArgumentException("--report-receiver-url: \"" + receiver
            + "\" is not http://host:port (the policy servers reach the receiver in the cluster, without TLS)");
      }
      for (String resolver : resolvers) {
        if (!RESOLVER.matcher(resolver).matches()) {
          throw new IllegalArgumentException("--report-receiver-resolver: \"" + resolver
              + "\" is not an IP address or host name");
        }
      }
    }

    /** When the policy receives its reports and the operator has a receiver. */
    public static Optional<ReportForwarding> of(PolicyContent content, OperatorSettings settings) {
      if (!content.receivesReports()) {
        return Optional.empty();
      }
      return settings.reportReceiver().map(uri -> new ReportForwarding(uri, settings.reportResolvers()));
    }

    /** Whether the receiver is given by address, so that nginx never needs to resolve it. */
    boolean byAddress() {
      String host = receiver.getHost();
      return host.startsWith("[") || IPV4.matcher(host).matches();
    }

    /** The URL nginx POSTs each report to. */
    String target() {
      int port = receiver.getPort() < 0 ? 80 : receiver.getPort();
      return "http://" + receiver.getHost() + ":" + port + HttpsReportReceiver.PATH;
    }

    /** What the pods' configuration depends on, in words: "http://host:8090/tlsrpt via 10.96.0.10". */
    public String describe() {
      return target() + (byAddress() || resolvers.isEmpty() ? "" : " via " + String.join(" ", resolvers));
    }

    String resolverLine() {
      return resolvers.stream().map(r -> r.contains(":") && !r.startsWith("[") ? "[" + r + "]" : r)
          .reduce((a, b) -> a + " " + b).map(list -> "resolver " + list + " valid=30s;")
          .orElse("# No resolver given (--report-receiver-resolver): reports fail with 502 until one is.");
    }
  }

  public String render() {
    return """
        # Generated by mta-sts-operator: serves the MTA-STS policy file and nothing else%7$s.
        daemon off;
        worker_processes 1;
        pid %2$s/nginx.pid;
        error_log stderr warn;

        events {
          worker_connections 512;
        }

        http {
          access_log /dev/stdout;
          server_tokens off;
          client_body_temp_path %2$s/client_body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;

          # RFC 8461 §3.3: the policy is served as text/plain; no MIME table, so nothing else is guessed.
          types { }
          default_type text/plain;
          charset off;%5$s

          server {
            listen %1$d default_server;
            server_name _;
            # Never send a redirect: senders must not follow one (RFC 8461 §3.3).
            absolute_redirect off;

            location = /.well-known/mta-sts.txt {
              limit_except GET { deny all; }
              %3$s
            }

            location = %4$s {
              access_log off;
              return 200 "ok\\n";
            }%6$s

            location / {
              return 404;
            }
          }
        }
        """.formatted(port, runtimeDir, policyDirective(), HEALTH_PATH, reportMaps(), reportLocation(),
            reports.isEmpty() ? "" : " but the TLS reports POSTed to " + TlsReporting.RECEIVE_PATH);
  }

  private String policyDirective() {
    if (policiesRoot == null) {
      return "alias " + policyFile + ";";
    }
    // nginx refuses a Host with a slash or "..", and $host is lowercased: it can only name a file of the folder.
    return "# One file per policy host, named as the host; any other host is 404, never another's policy.\n"
        + "      root " + policiesRoot + ";\n"
        + "      try_files /$host =404;";
  }

  private String reportMaps() {
    if (reports.isEmpty()) {
      return "";
    }
    String hosts = policiesRoot == null ? "" : "\n" + """

          # The hosts of the policies that receive their reports; any other host's reports are 404.
          map $host $tlsrpt_host {
            default "";
        %s  }
        """.formatted(reportingHosts.stream().map(h -> "    " + h + " 1;\n").collect(
            java.util.stream.Collectors.joining())).stripTrailing();
    // RFC 8460 §5.3: the two media types a report is POSTed in, parameters and case ignored, as the receiver does.
    return "\n" + """

          map $content_type $tlsrpt_media_type {
            default "";
            "~*^application/tlsrpt[+](json|gzip)[ ]*(;|$)" 1;
          }
          map $request_method $tlsrpt_allow {
            POST "";
            default POST;
          }
        """.stripTrailing() + hosts;
  }

  private String reportLocation() {
    if (reports.isEmpty()) {
      return "";
    }
    ReportForwarding forwarding = reports.get();
    String target;
    if (forwarding.byAddress()) {
      target = "      proxy_pass " + forwarding.target() + ";\n";
    } else {
      // Resolved when a report comes, not when nginx starts: a receiver name that does not resolve (yet) then
      // fails only the reports (502), and the policy is still served.
      target = "      " + forwarding.resolverLine() + "\n"
          + "      resolver_timeout 5s;\n"
          + "      set $tlsrpt_receiver " + forwarding.target() + ";\n"
          + "      proxy_pass $tlsrpt_receiver;\n";
    }
    return "\n" + """

            # RFC 8460 §3, §5.3: senders POST their reports here; only POSTs of the two report media types, at
            # most %1$d bytes, go on to the operator's receiver, with the Host the sender used.
            location = %2$s {
              client_max_body_size %1$d;
              client_body_buffer_size 16k;
              client_body_timeout %3$ds;
              # The whole body is read here before it goes on: a slow sender holds nginx, never the receiver.
              proxy_request_buffering on;
              add_header Allow $tlsrpt_allow always;
        %5$s      if ($request_method != POST) {
                return 405;
              }
              if ($tlsrpt_media_type = "") {
                return 415;
              }
              proxy_http_version 1.1;
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_connect_timeout 5s;
              proxy_send_timeout 10s;
              # The receiver answers within its own deadline (30 s).
              proxy_read_timeout 40s;
        %4$s    }
        """.formatted(HttpsReportReceiver.MAX_REPORT_BYTES, TlsReporting.RECEIVE_PATH, REPORT_BODY_TIMEOUT_SECONDS,
            target, policiesRoot == null ? "" : "      if ($tlsrpt_host = \"\") {\n        return 404;\n      }\n")
            .stripTrailing();
  }
}
