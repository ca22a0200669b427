package io.orderbus.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FaultPlanTest {
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    FaultPlan plan = FaultPlan.draw(42, TEN_MINUTES, 5);
    assertThat(FaultPlan.draw(42, TEN_MINUTES, 5)).isEqualTo(plan);
    assertThat(FaultPlan.draw(43, TEN_MINUTES, 5).nodeFaults()).isNotEqualTo(plan.nodeFaults());
    assertThat(FaultPlan.draw(43, TEN_MINUTES, 5).smtpOutages()).isNotEqualTo(plan.smtpOutages());
  }

  @Test
  void nodeFaultsKeepTheirBoundsAndBothKindsComeInEveryPair() {
    for (long seed = 0; seed < 50; seed++) {
      List<FaultPlan.NodeFault> faults = FaultPlan.draw(seed, TEN_MINUTES, 5).nodeFaults();
      // Enough for the duration even if each took no more than its quiet time and shortest hold.
      assertThat(faults.size()).isGreaterThanOrEqualTo((int) (TEN_MINUTES.toSeconds()
          / (FaultPlan.MIN_QUIET.toSeconds() + FaultPlan.MIN_DEAD.toSeconds())));
      for (int i = 0; i < faults.size(); i++) {
        FaultPlan.NodeFault f = faults.get(i);
        assertThat(f.node()).isBetween(0, 4);
        assertThat(f.kind()).isIn(FaultPlan.Kind.KILL, FaultPlan.Kind.PAUSE);
        if (f.kind() == FaultPlan.Kind.PAUSE) {
          assertThat(f.hold()).isBetween(FaultPlan.MIN_PAUSE, FaultPlan.MAX_PAUSE);
        } else {
          assertThat(f.hold()).isBetween(FaultPlan.MIN_DEAD, FaultPlan.MAX_DEAD);
        }
        Duration minQuiet = i == 0 ? FaultPlan.WARM_UP.plus(FaultPlan.MIN_QUIET) : FaultPlan.MIN_QUIET;
        Duration maxQuiet = i == 0 ? FaultPlan.WARM_UP.plus(FaultPlan.MAX_QUIET) : FaultPlan.MAX_QUIET;
        assertThat(f.quietBefore()).isBetween(minQuiet, maxQuiet);
        if (i % 2 == 1) {
          assertThat(f.kind()).as("pair %d of seed %d", i / 2, seed).isNotEqualTo(faults.get(i - 1).kind());
        }
      }
    }
  }

  @Test
  void smtpOutagesAreBoundedApartAndWithinTheRun() {
    for (long seed = 0; seed < 50; seed++) {
      List<FaultPlan.SmtpOutage> outages = FaultPlan.draw(seed, TEN_MINUTES, 5).smtpOutages();
      assertThat(outages).isNotEmpty();
      Duration previousEnd = Duration.ZERO;
      for (FaultPlan.SmtpOutage o : outages) {
        assertThat(o.length()).isBetween(FaultPlan.MIN_SMTP_DOWN, FaultPlan.MAX_SMTP_DOWN);
        assertThat(o.at()).isLessThan(TEN_MINUTES);
        assertThat(o.at().minus(previousEnd)).isBetween(FaultPlan.MIN_SMTP_UP, FaultPlan.MAX_SMTP_UP);
        previousEnd = o.end();
      }
    }
  }
}
