package io.lakeroute.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions.CheckEnabled;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Beam's {@link TestPipeline} for JUnit 5 tests.
 *
 * <p>{@code TestPipeline} is a JUnit 4 rule: {@code run()} refuses to work unless the rule wraps
 * the test, and the rule is what fails a test that built transforms it never ran (abandoned-node
 * enforcement). This extension gives each test method a fresh pipeline as a parameter and wraps the
 * method in the rule, so both behave as under JUnit 4:
 *
 * <pre>{@code
 * @ExtendWith(TestPipelineExtension.class)
 * class MyTest {
 *   @Test
 *   void counts(TestPipeline pipeline) {
 *     PAssert.that(pipeline.apply(Create.of(1, 2))).containsInAnyOrder(1, 2);
 *     pipeline.run();
 *   }
 * }
 *
 * // Or with pipeline flags, e.g. to reach LocalS3:
 * @RegisterExtension
 * static final TestPipelineExtension PIPELINE = TestPipelineExtension.withArgs(s3.beamArgs());
 * }</pre>
 *
 * <p>A {@code @BeforeEach} method may take the pipeline too (it gets the test's instance) to build
 * shared parts, but {@code run()} works only in the test method itself, as under JUnit 4.
 */
public final class TestPipelineExtension implements ParameterResolver, InvocationInterceptor {
  private static final Namespace NAMESPACE = Namespace.create(TestPipelineExtension.class);
  private static final String PIPELINE = "pipeline";

  private final List<String> args;

  /** Pipelines with Beam's test defaults (options from {@code -DbeamTestPipelineOptions}). */
  public TestPipelineExtension() {
    this.args = null;
  }

  private TestPipelineExtension(List<String> args) {
    this.args = args;
  }

  /** Pipelines whose options are parsed from these flags; register custom options first. */
  public static TestPipelineExtension withArgs(String... args) {
    return new TestPipelineExtension(List.of(args));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestPipeline.class
        && !(parameter.getDeclaringExecutable() instanceof Constructor)
        && context.getTestMethod().isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(PIPELINE, key -> create(context), TestPipeline.class);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    applyRule(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    applyRule(invocation, context);
  }

  private static void applyRule(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    TestPipeline pipeline = context.getStore(NAMESPACE).get(PIPELINE, TestPipeline.class);
    if (pipeline == null) {
      invocation.proceed();
      return;
    }
    Statement test =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    // The annotations matter: the rule reads @Category(NeedsRunner.class) from them.
    Method method = context.getRequiredTestMethod();
    Description description =
        Description.createTestDescription(
            context.getRequiredTestClass(), method.getName(), method.getAnnotations());
    pipeline.apply(test, description).evaluate();
  }

  private TestPipeline create(ExtensionContext context) {
    PipelineOptions options;
    if (args == null) {
      options = TestPipeline.testingPipelineOptions();
    } else {
      options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
      // As TestPipeline.testingPipelineOptions() does: duplicate step names are test bugs.
      options.setStableUniqueNames(CheckEnabled.ERROR);
    }
    // TestPipeline guesses the name from the stack, which here shows this extension, not the test.
    String name =
        context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getTestMethod().map(Method::getName).orElse("test");
    options.as(ApplicationNameOptions.class).setAppName(name);
    return TestPipeline.fromOptions(options);
  }
}
