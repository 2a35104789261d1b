package io.quasid.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.spi.Embeddings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestNpy {
    @TempDir
    Path dir;

    /** A .npy file as numpy writes it: version 1 header, then the raw values. */
    private static byte[] npy(String descr, boolean fortran, int rows, int cols, ByteOrder order, double... values) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + rows + ", " + cols + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        boolean f8 = descr.endsWith("f8");
        ByteBuffer b = ByteBuffer.allocate(values.length * (f8 ? 8 : 4)).order(order);
        for (double v : values) {
            if (f8) {
                b.putDouble(v);
            } else {
                b.putFloat((float) v);
            }
        }
        out.writeBytes(b.array());
        return out.toByteArray();
    }

    @Test
    void roundTripsAFloatMatrix() {
        Embeddings m = Embeddings.of(new float[][] {{1, 2, 3}, {-4.5f, 5, 6e-7f}});
        Path file = dir.resolve("m.npy");
        Npy.write(file, m);
        Embeddings back = Npy.read(file);
        assertThat(back.rows()).isEqualTo(2);
        assertThat(back.dimension()).isEqualTo(3);
        assertThat(back.rows(0, 2)).containsExactly(m.rows(0, 2));
    }

    @Test
    void writesAHeaderThatNumpyAligns() throws IOException {
        Path file = dir.resolve("m.npy");
        Npy.write(file, Embeddings.of(new float[][] {{1}}));
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(bytes.length).isEqualTo(10 + headerLength + 4);
    }

    @Test
    void readsFloat64BigEndianInFortranOrder() throws IOException {
        Path file = dir.resolve("f.npy");
        // the matrix [[1, 2, 3], [4, 5, 6]] stored column by column
        Files.write(file, npy(">f8", true, 2, 3, ByteOrder.BIG_ENDIAN, 1, 4, 2, 5, 3, 6));
        Embeddings m = Npy.read(file);
        assertThat(m.row(0)).containsExactly(1, 2, 3);
        assertThat(m.row(1)).containsExactly(4, 5, 6);
    }

    @Test
    void readsARangeOfRowsFromItsPlaceInTheFile() throws IOException {
        Path rowMajor = dir.resolve("c.npy");
        Path columnMajor = dir.resolve("f.npy");
        // the matrix [[1, 2], [3, 4], [5, 6], [7, 8]] row by row, and column by column as float64
        Files.write(rowMajor, npy("<f4", false, 4, 2, ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6, 7, 8));
        Files.write(columnMajor, npy(">f8", true, 4, 2, ByteOrder.BIG_ENDIAN, 1, 3, 5, 7, 2, 4, 6, 8));
        for (Path file : new Path[] {rowMajor, columnMajor}) {
            Npy.Layout layout = Npy.layout(file);
            assertThat(layout.rows()).isEqualTo(4);
            assertThat(Npy.rows(file, layout, 1, 2)).as("%s", file.getFileName()).containsExactly(3, 4, 5, 6);
            assertThat(Npy.rows(file, layout, 3, 1)).containsExactly(7, 8);
        }
        assertThatThrownBy(() -> Npy.rows(rowMajor, Npy.layout(rowMajor), 3, 2)).hasMessageContaining("rows 3 to 5 of a matrix of 4");
    }

    @Test
    void rejectsNaNNamingRowAndColumn() throws IOException {
        Path file = dir.resolve("nan.npy");
        Files.write(file, npy("<f4", false, 2, 2, ByteOrder.LITTLE_ENDIAN, 0, 1, 2, Double.NaN));
        assertThatThrownBy(() -> Npy.read(file))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("nan.npy")
                .hasMessageContaining("row 1, column 1 is NaN");
    }

    @Test
    void rejectsInfinity() throws IOException {
        Path file = dir.resolve("inf.npy");
        Files.write(file, npy("<f4", false, 1, 2, ByteOrder.LITTLE_ENDIAN, Double.POSITIVE_INFINITY, 1));
        assertThatThrownBy(() -> Npy.read(file)).hasMessageContaining("row 0, column 0 is Infinity");
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        Path file = dir.resolve("short.npy");
        byte[] full = npy("<f4", false, 2, 2, ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
        Files.write(file, java.util.Arrays.copyOf(full, full.length - 4));
        assertThatThrownBy(() -> Npy.read(file)).hasMessageContaining("truncated");
    }

    @Test
    void rejectsIntegerMatricesAndOtherShapes() throws IOException {
        Path ints = dir.resolve("ints.npy");
        Files.write(ints, npy("<i4", false, 1, 1, ByteOrder.LITTLE_ENDIAN, 0));
        assertThatThrownBy(() -> Npy.read(ints)).hasMessageContaining("only float32 or float64");
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, world");
        assertThatThrownBy(() -> Npy.read(notNpy)).hasMessageContaining("not a numpy .npy file");
    }

    @Test
    void rejectsAMissingFile() {
        assertThatThrownBy(() -> Npy.read(dir.resolve("none.npy"))).hasMessageContaining("does not exist");
    }

    /** A version 2 header whose length field says {@code length}, followed by a few bytes. */
    private static byte[] headerLength(int length) {
        ByteBuffer b = ByteBuffer.allocate(12 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(length);
        return b.array();
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFile() throws IOException {
        for (int length : new int[] {0xFFFFFFFF, 0x7FFFFFF0}) {
            Path file = dir.resolve("long-header.npy");
            Files.write(file, headerLength(length));
            assertThatThrownBy(() -> Npy.read(file)).as("%x", length).isInstanceOf(InputFileException.class)
                    .hasMessageContaining("long-header.npy").hasMessageContaining("header length");
        }
    }

    @Test
    void rejectsAShapeWhoseSizeOverflows() throws IOException {
        Path file = dir.resolve("huge.npy");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        Files.write(file, out.toByteArray());
        assertThatThrownBy(() -> Npy.read(file)).isInstanceOf(InputFileException.class).hasMessageContaining("huge.npy")
                .hasMessageContaining("too large");
    }

    @Test
    void rejectsAShapeLargerThanTheFileBeforeAllocatingIt() throws IOException {
        Path file = dir.resolve("claims.npy");
        byte[] full = npy("<f4", false, 2, 2, ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
        String text = new String(full, StandardCharsets.ISO_8859_1).replace("(2, 2)", "(9, 9)");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Npy.read(file)).hasMessageContaining("truncated").hasMessageContaining("9 x 9");
    }
}
