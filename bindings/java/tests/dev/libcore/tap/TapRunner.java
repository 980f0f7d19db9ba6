package dev.libcore.tap;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the JUnit 5 tests of a package and reports them as TAP on stdout, so
 * meson (protocol: 'tap') shows every test. Exit status: 0 when every test
 * passed, 1 when one failed, 2 when no test ran at all (a run that tests
 * nothing must never pass).
 *
 * <p>Usage: {@code java -cp ... dev.libcore.tap.TapRunner [package]}
 * (default package: dev.libcore).
 */
public final class TapRunner implements TestExecutionListener {
  private final PrintStream out;
  private int run;
  private int failed;
  private int skipped;

  private TapRunner(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    String pkg = args.length > 0 ? args[0] : "dev.libcore";
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectPackage(pkg)).build();
    Launcher launcher = LauncherFactory.create();
    TapRunner tap = new TapRunner(System.out);
    launcher.execute(request, tap);
    System.out.flush();
    System.exit(tap.exitStatus());
  }

  private int exitStatus() {
    if (run == 0) {
      out.println("Bail out! no tests ran");
      return 2;
    }
    out.println("1.." + run);
    out.println("# " + run + " tests: " + (run - failed - skipped) + " passed, " + failed + " failed, " + skipped
        + " skipped");
    return failed == 0 ? 0 : 1;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    out.println("TAP version 13");
    out.println("# " + plan.countTestIdentifiers(TestIdentifier::isTest) + " tests found");
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    if (id.isTest()) {
      ++run;
      ++skipped;
      out.println("ok " + run + " - " + name(id) + " # SKIP " + clean(reason));
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
    if (!id.isTest() && ok) {
      return;
    }
    // A failing container (a class that cannot start) counts as a failed test.
    ++run;
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      // An assumption that did not hold (test data not found): skipped, never passed.
      ++skipped;
      out.println("ok " + run + " - " + name(id) + " # SKIP "
          + clean(result.getThrowable().map(Throwable::getMessage).orElse("aborted")));
      return;
    }
    if (ok) {
      out.println("ok " + run + " - " + name(id));
      return;
    }
    ++failed;
    out.println("not ok " + run + " - " + name(id) + (id.isTest() ? "" : " (container)"));
    result.getThrowable().ifPresent(t -> {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      String[] lines = trace.toString().split("\n");
      for (int i = 0; i < lines.length && i < 25; ++i) {
        out.println("#   " + lines[i].replace("\t", "    "));
      }
    });
  }

  private static String name(TestIdentifier id) {
    String cls = id.getSource().map(s -> s instanceof MethodSource ? ((MethodSource) s).getClassName()
        : s instanceof ClassSource ? ((ClassSource) s).getClassName() : "").orElse("");
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    return clean(simple.isEmpty() || simple.equals(id.getDisplayName()) ? id.getDisplayName()
        : simple + " > " + id.getDisplayName());
  }

  /** '#' starts a TAP directive: keep it out of names. */
  private static String clean(String s) {
    return s == null ? "" : s.replace('#', '_').replace('\n', ' ');
  }
}
