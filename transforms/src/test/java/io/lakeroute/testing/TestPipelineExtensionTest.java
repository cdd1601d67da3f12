package io.lakeroute.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions.CheckEnabled;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@ExtendWith(TestPipelineExtension.class)
class TestPipelineExtensionTest {
  private TestPipeline fromBeforeEach;

  @BeforeEach
  void keep(TestPipeline pipeline) {
    fromBeforeEach = pipeline;
  }

  @Test
  void runsACreateAndPAssertPipeline(TestPipeline pipeline) {
    PCollection<Integer> doubled =
        pipeline
            .apply(Create.of(1, 2, 3))
            .apply(MapElements.into(TypeDescriptors.integers()).via(x -> x * 2));
    PAssert.that(doubled).containsInAnyOrder(2, 4, 6);
    PAssert.thatSingleton(doubled.apply(Sum.integersGlobally())).isEqualTo(12);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void givesBeforeEachTheTestsPipelineNamedAfterTheTest(TestPipeline pipeline) {
    assertSame(fromBeforeEach, pipeline);
    assertEquals(
        "TestPipelineExtensionTest-givesBeforeEachTheTestsPipelineNamedAfterTheTest",
        pipeline.getOptions().as(ApplicationNameOptions.class).getAppName());
  }

  @Test
  void enforcesTheRuleAsJUnit4Does() {
    Map<String, Throwable> outcomes = launch(Samples.class);

    assertEquals(
        Set.of("runs", "neverRuns", "addsAfterRunning", "failsAnAssertion", "needsNoPipeline"),
        outcomes.keySet());
    assertEquals(null, outcomes.get("runs"));
    assertInstanceOf(
        TestPipeline.PipelineRunMissingException.class, outcomes.get("neverRuns"), "never runs");
    assertInstanceOf(
        TestPipeline.AbandonedNodeException.class,
        outcomes.get("addsAfterRunning"),
        "adds after running");
    assertInstanceOf(AssertionError.class, outcomes.get("failsAnAssertion"));
    assertEquals(null, outcomes.get("needsNoPipeline"));
  }

  @Test
  void parsesFlagsGivenToWithArgs() {
    Map<String, Throwable> outcomes = launch(WithArgsSamples.class);

    assertEquals(Set.of("seesTheFlags"), outcomes.keySet());
    assertEquals(null, outcomes.get("seesTheFlags"));
  }

  private static volatile boolean launching;

  static boolean launching() {
    return launching;
  }

  /** Runs a sample class on its own engine, as surefire would, and returns each test's failure. */
  private static Map<String, Throwable> launch(Class<?> samples) {
    Map<String, Throwable> outcomes = new LinkedHashMap<>();
    Launcher launcher = LauncherFactory.create();
    launching = true;
    try {
      launcher.execute(
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(samples)).build(),
          new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
              if (id.isTest()) {
                String name = id.getDisplayName().replaceAll("\\(.*", "");
                outcomes.put(name, result.getThrowable().orElse(null));
              }
            }
          });
    } finally {
      launching = false;
    }
    return outcomes;
  }

  // Run only through launch(): some of these fail on purpose.
  @EnabledIf("io.lakeroute.testing.TestPipelineExtensionTest#launching")
  @ExtendWith(TestPipelineExtension.class)
  static class Samples {
    @Test
    void runs(TestPipeline pipeline) {
      PAssert.that(pipeline.apply(Create.of("a"))).containsInAnyOrder("a");
      pipeline.run();
    }

    @Test
    void neverRuns(TestPipeline pipeline) {
      pipeline.apply(Create.of("a"));
    }

    @Test
    void addsAfterRunning(TestPipeline pipeline) {
      pipeline.apply("First", Create.of("a"));
      pipeline.run();
      pipeline.apply("Second", Create.of("b"));
    }

    @Test
    void failsAnAssertion(TestPipeline pipeline) {
      PAssert.that(pipeline.apply(Create.of("a"))).containsInAnyOrder("b");
      pipeline.run();
    }

    @Test
    void needsNoPipeline() {}
  }

  @EnabledIf("io.lakeroute.testing.TestPipelineExtensionTest#launching")
  static class WithArgsSamples {
    @RegisterExtension
    static final TestPipelineExtension PIPELINE =
        TestPipelineExtension.withArgs("--tempLocation=/tmp/lakeroute-flag-probe");

    @Test
    void seesTheFlags(TestPipeline pipeline) {
      assertEquals("/tmp/lakeroute-flag-probe", pipeline.getOptions().getTempLocation());
      assertEquals(CheckEnabled.ERROR, pipeline.getOptions().getStableUniqueNames());
      PAssert.that(pipeline.apply(Create.of(1))).containsInAnyOrder(1);
      pipeline.run();
    }
  }
}
