package io.orderbus.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@code GET /cluster} calls the cluster safe, from each live node's own report of its backups. */
class BackupSafetyTest {
  private static final List<String> THREE = List.of("a", "b", "c");
  private static final long NOW = 1_000_000;

  @Test
  void safeWhenEveryMemberReportsInSyncAmongTheseMembersLately() {
    assertThat(BackupSafety.clusterSafe(nodes(report(true, THREE, NOW - 500), report(true, List.of("c", "a", "b"), NOW),
        report(true, THREE, NOW - BackupSafety.REPORT_STALE_MS)), THREE, NOW)).isTrue();
  }

  @Test
  void notSafeWhileOneMemberIsNotInSync() {
    assertThat(BackupSafety.clusterSafe(nodes(report(true, THREE, NOW), report(false, THREE, NOW),
        report(true, THREE, NOW)), THREE, NOW)).isFalse();
  }

  @Test
  void aReportMadeAmongOtherMembersSaysNothing() {
    // Made before "c" left: the partitions moved since were not looked at.
    List<String> two = List.of("a", "b");
    assertThat(BackupSafety.clusterSafe(nodes(report(true, THREE, NOW), report(true, two, NOW)), two, NOW)).isFalse();
    assertThat(BackupSafety.clusterSafe(nodes(report(true, two, NOW), report(true, two, NOW)), two, NOW)).isTrue();
  }

  @Test
  void anOldReportOrAMissingOneIsNotSafe() {
    assertThat(BackupSafety.clusterSafe(nodes(report(true, THREE, NOW), report(true, THREE, NOW),
        report(true, THREE, NOW - BackupSafety.REPORT_STALE_MS - 1)), THREE, NOW)).isFalse();
    assertThat(BackupSafety.clusterSafe(nodes(report(true, THREE, NOW), report(true, THREE, NOW)), THREE, NOW)).isFalse();
    assertThat(BackupSafety.clusterSafe(List.of(new JsonObject().put("name", "n1"), new JsonObject(), new JsonObject()),
        THREE, NOW)).isFalse();
  }

  private static JsonObject report(boolean inSync, List<String> members, long at) {
    return BackupSafety.report(inSync, members, at);
  }

  private static List<JsonObject> nodes(JsonObject... reports) {
    return java.util.Arrays.stream(reports).map(r -> new JsonObject().put("backups", r)).toList();
  }

  @Test
  void aNodeAboutToBeReadyAsksOnlyTheNodesThatReported() {
    // "c" is a member that has written no entry (yet): the reports there are are what counts.
    assertThat(BackupSafety.reportsSafe(nodes(report(true, THREE, NOW), report(true, THREE, NOW)), THREE, NOW)).isTrue();
    assertThat(BackupSafety.reportsSafe(nodes(report(true, THREE, NOW), report(false, THREE, NOW)), THREE, NOW)).isFalse();
    assertThat(BackupSafety.reportsSafe(List.of(), THREE, NOW)).isFalse();
  }
}
