package io.orderbus.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A member deserializes Java-serialized objects only of the classes cluster.xml lists: an object of any
 * other class written into a map (as anyone who reaches the Hazelcast port could) is refused when read.
 */
class DeserializationFilterTest {
  private final TestNodes nodes = new TestNodes(1);

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void onlyListedClassesAreDeserialized() throws Exception {
    HazelcastInstance member = nodes.hazelcast(0);
    IMap<String, Object> map = member.getMap("orderbus.filter-test");
    map.put("allowed", new java.util.ArrayList<>(java.util.List.of("a", "b")));
    assertThat(map.get("allowed")).isEqualTo(java.util.List.of("a", "b"));

    // Any serializable class of a package not listed will do: this one comes with JUnit.
    map.put("stranger", new TestAbortedException("not on the list"));
    assertThatThrownBy(() -> map.get("stranger")).hasStackTraceContaining("TestAbortedException").hasStackTraceContaining("not allowed");
  }
}
