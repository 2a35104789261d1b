package io.quasid.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.quasid.spi.Sid;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * The classes the assignment shuffles and caches, registered with Kryo ({@code spark.kryo.registrator}, set by
 * {@link SparkMain#session} unless given): a registered class travels as a number instead of its name with
 * every row, and a SID as its codes.
 */
public final class KryoRegistrations implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Sid.class, new SidSerializer());
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(SidNumbering.Entry.class, new EntrySerializer());
        kryo.register(SidNumbering.Group.class);
    }

    /** A row of an SID table as its item, SID, d and position, without the field-by-field reflection of Kryo's default. */
    static final class EntrySerializer extends Serializer<SidNumbering.Entry> {
        private final SidSerializer sids = new SidSerializer();

        EntrySerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, SidNumbering.Entry e) {
            out.writeString(e.item);
            sids.write(kryo, out, e.sid);
            out.writeVarInt(e.d, false); // -1: not numbered yet
            out.writeVarLong(e.position, false); // -1: a new item
        }

        @Override
        public SidNumbering.Entry read(Kryo kryo, Input in, Class<SidNumbering.Entry> type) {
            return new SidNumbering.Entry(in.readString(), sids.read(kryo, in, Sid.class), in.readVarInt(false), in.readVarLong(false));
        }
    }

    /** A SID as its number of levels and its codes, each a variable-length int. */
    static final class SidSerializer extends Serializer<Sid> {
        SidSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, Sid sid) {
            out.writeVarInt(sid.levels(), true);
            for (int l = 0; l < sid.levels(); l++) {
                out.writeVarInt(sid.code(l), true);
            }
        }

        @Override
        public Sid read(Kryo kryo, Input in, Class<Sid> type) {
            int[] codes = new int[in.readVarInt(true)];
            for (int l = 0; l < codes.length; l++) {
                codes[l] = in.readVarInt(true);
            }
            return Sid.of(codes);
        }
    }
}
