package dev.mtasts.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A real server a test runs (nginx, knotd, postfix): started in the foreground with its output in a log file,
 * waited for until it is ready (failing with its log if it exits first), stopped when the test is done.
 */
public final class TestDaemon implements AutoCloseable {

  private final Process process;
  private final Thread reaper;

  private TestDaemon(Process process, Thread reaper) {
    this.process = process;
    this.reaper = reaper;
  }

  public static TestDaemon start(List<String> command, Path log, Callable<Boolean> ready) {
    return start(command, log, ready, Duration.ofSeconds(20));
  }

  /** As above, waiting up to timeout for ready (controllers that first sync their caches take longer). */
  public static TestDaemon start(List<String> command, Path log, Callable<Boolean> ready, Duration timeout) {
    return start(command, java.util.Map.of(), log, ready, timeout);
  }

  /** As above, with these variables added to the environment. */
  public static TestDaemon start(List<String> command, java.util.Map<String, String> environment, Path log,
      Callable<Boolean> ready, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      // A test JVM that exits without closing us (System.exit, a failed start) must not leave the daemon holding
      // its address for the next run.
      Thread reaper = new Thread(process::destroyForcibly, "reap " + command.get(0));
      Runtime.getRuntime().addShutdownHook(reaper);
      try {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(command.get(0) + " exited: " + Files.readString(log));
          }
          return ready.call();
        });
      } catch (RuntimeException e) {
        process.destroyForcibly();
        throw e;
      }
      return new TestDaemon(process, reaper);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until condition holds, failing with the message (a log to look at, say) when it does not in time. */
  public static void waitUntil(Duration timeout, Callable<Boolean> condition, java.util.function.Supplier<String> message) {
    try {
      org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException(message.get(), e);
    }
  }

  /** Whether something accepts TCP connections there. */
  public static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The daemon's process id, to signal it (nginx reloads its configuration on SIGHUP). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the daemon as a crash or the OOM killer would (SIGKILL): no shutdown of its own runs. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /**
   * SIGTERM, and SIGKILL if it has not exited after {@value #GRACE_SECONDS} s: kube-apiserver, for one, waits
   * for ever for an etcd that is gone, and a test run must not hang on that.
   */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    awaitExit();
  }

  static final int GRACE_SECONDS = 20;

  private void awaitExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway, on a process that is gone.
    }
  }
}
