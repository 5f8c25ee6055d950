package dev.mtasts.testing.stack;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving tests the {@link RealStack}: {@code @ExtendWith(RealStackExtension.class)}, then take a
 * RealStack parameter. One stack serves every test class of the run (starting it takes half a minute); each class
 * uses its own namespace and domains, and stops its own operator.
 */
public final class RealStackExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealStack.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RealStack.class, type -> {
      try {
        // Closed by JUnit when the run ends (AutoCloseable values of the root store are).
        return RealStack.start(Files.createTempDirectory("mtasts-real-stack"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, RealStack.class);
  }
}
