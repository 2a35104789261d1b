package io.quasid.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.spi.Sid;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** What the jobs shuffle and cache comes back as it went, through Kryo with the registrations and no reference tracking. */
final class TestKryoRegistrations {
    private final SerializerInstance kryo = new KryoSerializer(new SparkConf().set("spark.kryo.registrator", KryoRegistrations.class.getName())
            .set("spark.kryo.referenceTracking", "false").set("spark.kryo.registrationRequired", "false")).newInstance();

    private <T> T roundTrip(T value, Class<T> type) {
        return kryo.deserialize(kryo.serialize(value, ClassTag$.MODULE$.apply(type)), ClassTag$.MODULE$.apply(type));
    }

    @Test
    void aRowOfTheTableComesBackWithItsItemSidDAndPositionAlsoWhenNotNumberedOrNew() {
        for (SidNumbering.Entry e : new SidNumbering.Entry[] {new SidNumbering.Entry("B00Ü-7", Sid.of(3, 255, 0, 70000), 12, 4_000_000_000L),
                new SidNumbering.Entry("i1", Sid.of(1, 2, 3), -1, -1)}) {
            SidNumbering.Entry back = roundTrip(e, SidNumbering.Entry.class);
            assertThat(back.item).isEqualTo(e.item);
            assertThat(back.sid).isEqualTo(e.sid);
            assertThat(back.d).isEqualTo(e.d);
            assertThat(back.position).isEqualTo(e.position);
        }
    }
}
