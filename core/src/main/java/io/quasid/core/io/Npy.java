package io.quasid.core.io;

import io.quasid.spi.Embeddings;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes 2-D float matrices in numpy's {@code .npy} format (versions 1-3). Reads float32 and
 * float64, either byte order, C or Fortran order; writes little-endian float32, C order, version 1.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])(f4|f8)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

    /** Longest header read (numpy writes well under 1 KiB; its own reader refuses more than 10,000 bytes by default). */
    private static final long MAX_HEADER = 1 << 16;

    private Npy() {}

    /**
     * Where a {@code .npy} file's values are: {@code rows} x {@code dimension} values of {@code width} bytes
     * (4: float32, 8: float64), big- or little-endian, row-major or (Fortran) column-major, from byte
     * {@code dataOffset}. Serializable, so a reader of part of the rows can be sent where the file is.
     */
    public record Layout(long rows, int dimension, int width, boolean bigEndian, boolean fortranOrder, long dataOffset) implements java.io.Serializable {}

    /** Reads a 2-D float matrix; fails naming the file on another shape or type, NaN or infinity. */
    public static Embeddings read(Path file) {
        Layout layout = layout(file);
        if (layout.rows() * layout.dimension() > Integer.MAX_VALUE - 8) {
            throw new InputFileException(file, "matrix of " + layout.rows() + " x " + layout.dimension() + " is too large: at most "
                    + (Integer.MAX_VALUE - 8) + " values");
        }
        float[] values = rows(file, layout, 0, (int) layout.rows());
        try {
            return Embeddings.of(values, (int) layout.rows(), layout.dimension());
        } catch (IllegalArgumentException e) {
            throw new InputFileException(file, e.getMessage());
        }
    }

    /** The layout of a 2-D float matrix in {@code file}, from its header; fails naming the file on another shape or type, or a file too short for it. */
    public static Layout layout(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new InputFileException(file, "not a numpy .npy file (bad magic bytes)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long headerLength;
            if (major == 1) {
                headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new InputFileException(file, "unsupported .npy version " + major);
            }
            long size = Files.size(file);
            long prefix = major == 1 ? 10 : 12;
            if (headerLength > MAX_HEADER || headerLength > size - prefix) {
                throw new InputFileException(file, "the header length field says " + headerLength + " bytes; the file has " + size
                        + " bytes and a header may have at most " + MAX_HEADER);
            }
            byte[] headerBytes = new byte[(int) headerLength];
            in.readFully(headerBytes);
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shape = SHAPE.matcher(header);
            if (!descr.find()) {
                throw new InputFileException(file, "only float32 or float64 matrices are supported, header: " + header.trim());
            }
            if (!shape.find()) {
                throw new InputFileException(file, "only 2-D matrices (rows, dimension) are supported, header: " + header.trim());
            }
            boolean fortranOrder = fortran.find() && fortran.group(1).equals("True");
            int width = descr.group(2).equals("f4") ? 4 : 8;
            long rows;
            int dimension;
            long bytes;
            try {
                rows = Long.parseLong(shape.group(1));
                dimension = Math.toIntExact(Long.parseLong(shape.group(2)));
                bytes = Math.multiplyExact(Math.multiplyExact(rows, dimension), width);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InputFileException(file, "shape (" + shape.group(1) + ", " + shape.group(2) + ") is too large");
            }
            if (bytes > size - prefix - headerLength) {
                throw new InputFileException(file, "truncated: the header announces " + rows + " x " + dimension + " values of " + width
                        + " bytes, the file holds " + (size - prefix - headerLength) + " bytes of data");
            }
            return new Layout(rows, dimension, width, descr.group(1).equals(">"), fortranOrder, prefix + headerLength);
        } catch (NoSuchFileException e) {
            throw new InputFileException(file, "file does not exist");
        } catch (java.io.EOFException e) {
            throw new InputFileException(file, "truncated .npy header");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rows {@code from} to {@code from + count} of the matrix {@code layout} describes in {@code file}, row-major,
     * read from their place in the file alone (a column-major file: one run of each column).
     */
    public static float[] rows(Path file, Layout layout, long from, int count) {
        if (from < 0 || count < 0 || from + count > layout.rows()) {
            throw new IllegalArgumentException("rows " + from + " to " + (from + count) + " of a matrix of " + layout.rows());
        }
        int dimension = layout.dimension();
        float[] out = new float[Math.multiplyExact(count, dimension)];
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            if (layout.fortranOrder()) {
                for (int j = 0; j < dimension; j++) {
                    read(file, channel, layout, layout.dataOffset() + (j * layout.rows() + from) * layout.width(), count, out, j, dimension);
                }
            } else {
                read(file, channel, layout, layout.dataOffset() + from * dimension * layout.width(), out.length, out, 0, 1);
            }
        } catch (NoSuchFileException e) {
            throw new InputFileException(file, "file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Reads {@code values} values from {@code position} on into {@code out}, the k-th at {@code first + k * stride}
     * (float32 read in bulk where they are consecutive in {@code out}).
     */
    private static void read(Path file, java.nio.channels.FileChannel channel, Layout layout, long position, int values, float[] out, int first,
            int stride) throws IOException {
        int width = layout.width();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(layout.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN); // a multiple of 4 and 8
        int filled = 0;
        long at = position;
        while (filled < values) {
            chunk.clear().limit((int) Math.min(chunk.capacity() / width, values - filled) * width);
            while (chunk.hasRemaining()) {
                int got = channel.read(chunk, at + chunk.position());
                if (got < 0) {
                    throw new InputFileException(file, "truncated: the header announces " + layout.rows() + " x " + layout.dimension()
                            + " values, the file ends at byte " + (at + chunk.position()));
                }
            }
            at += chunk.position();
            chunk.flip();
            if (width == 4 && stride == 1) {
                int n = chunk.remaining() / 4;
                chunk.asFloatBuffer().get(out, first + filled, n);
                filled += n;
            } else {
                while (chunk.hasRemaining()) {
                    out[first + filled++ * stride] = width == 4 ? chunk.getFloat() : (float) chunk.getDouble();
                }
            }
        }
    }

    /** Writes {@code matrix} as little-endian float32, atomically. */
    public static void write(Path file, Embeddings matrix) {
        write(file, matrix.rows(), matrix.dimension(), (from, count) -> matrix.rows((int) from, (int) from + count));
    }

    /** The values of rows {@code from} to {@code from + count} (exclusive), row-major. */
    @FunctionalInterface
    public interface Rows {
        float[] get(long from, int count);
    }

    /**
     * Writes a {@code rows} x {@code dimension} matrix as little-endian float32, atomically, asking {@code values}
     * for {@code 1 << 12} rows at a time in order, so a matrix larger than memory can be written.
     */
    public static void write(Path file, long rows, int dimension, Rows values) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + dimension + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(1);
            out.write(0);
            out.write(header.length() & 0xff);
            out.write((header.length() >> 8) & 0xff);
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            for (long from = 0; from < rows; from += WRITE_ROWS) {
                int count = (int) Math.min(WRITE_ROWS, rows - from);
                float[] chunk = values.get(from, count);
                if (chunk.length != (long) count * dimension) {
                    throw new IllegalStateException("rows " + from + ".." + (from + count) + " of " + file + ": " + chunk.length
                            + " values, expected " + (long) count * dimension);
                }
                ByteBuffer bytes = ByteBuffer.allocate(chunk.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(chunk);
                out.write(bytes.array());
            }
        });
    }

    private static final int WRITE_ROWS = 1 << 12;
}
