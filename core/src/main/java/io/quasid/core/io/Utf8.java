package io.quasid.core.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Text input is UTF-8; a file that is not gets an error naming its first line that is not. */
public final class Utf8 {
    private Utf8() {}

    /**
     * The failure for {@code file}, whose reader met bytes that are not UTF-8 (a reader decodes ahead of the
     * line it hands out, so the line is found by decoding the file again, one line at a time: byte
     * {@code \n} never occurs inside a multi-byte character).
     */
    public static InputFileException notUtf8(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long number = 1;
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || b == -1) {
                    try {
                        decoder.reset().decode(ByteBuffer.wrap(line.toByteArray()));
                    } catch (CharacterCodingException e) {
                        return new InputFileException(file, number, "bytes that are not UTF-8 text");
                    }
                    if (b == -1) {
                        return new InputFileException(file, "bytes that are not UTF-8 text");
                    }
                    line.reset();
                    number++;
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
