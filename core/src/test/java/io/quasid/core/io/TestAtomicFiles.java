package io.quasid.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestAtomicFiles {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.csv");
        AtomicFiles.writeString(target, "old\n");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessageContaining("cannot write").hasMessageContaining("disk full");
        assertThat(Files.readString(target)).isEqualTo("old\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedDirectoryWriteLeavesTheOldDirectory() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("a"), "1"));
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(target, d -> {
            Files.writeString(d.resolve("a"), "2");
            throw new IOException("killed");
        }));
        assertThat(Files.readString(target.resolve("a"))).isEqualTo("1");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void replacesADirectoryWhole() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("old"), "1"));
        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("new"), "2"));
        assertThat(target.resolve("old")).doesNotExist();
        assertThat(target.resolve("new")).hasContent("2");
    }

    @Test
    void aWrittenFileAndDirectoryGetThePermissionsOfAnyNewFileNotOwnerOnlyOnes() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plainFile = Files.createFile(dir.resolve("plain"));
        Path plainDir = Files.createDirectory(dir.resolve("plain-dir"));
        Path file = dir.resolve("sids.csv");
        Path folder = dir.resolve("out");
        AtomicFiles.writeString(file, "x\n");
        AtomicFiles.writeDirectory(folder, d -> Files.writeString(d.resolve("a"), "1"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plainFile));
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(Files.getPosixFilePermissions(plainDir));
    }
}
