package io.orderbus.support;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;

import java.util.Arrays;

/**
 * A stored value as an older version wrote it, for checking that a field added last still reads: the value in
 * Hazelcast's binary form, without the null string its newest field was written as (a length of -1, four bytes),
 * read back. As a map holds it, the value is a blob of its own.
 */
public final class OlderForm {
  private static final SerializationService SERIALIZATION = new DefaultSerializationServiceBuilder().build();

  private OlderForm() {
  }

  /** {@code value}, whose last field must be a null string, written without that field and read back. */
  public static <T> T withoutLastString(T value) {
    byte[] bytes = ((Data) SERIALIZATION.toData(value)).toByteArray();
    return SERIALIZATION.toObject(new HeapData(Arrays.copyOf(bytes, bytes.length - 4)));
  }

  /** {@code value} written in its binary form and read back. */
  public static <T> T roundTrip(T value) {
    return SERIALIZATION.toObject(SERIALIZATION.toData(value));
  }
}
