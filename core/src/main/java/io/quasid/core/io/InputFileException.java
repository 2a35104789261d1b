package io.quasid.core.io;

import java.nio.file.Path;

/** A problem in an input file, located by file and (where known) line: {@code file:line: message}. */
public final class InputFileException extends IllegalArgumentException {
    private final transient Path file;
    private final long line;

    public InputFileException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public InputFileException(Path file, String message) {
        this(file, 0, message);
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is not on one line. */
    public long line() {
        return line;
    }
}
