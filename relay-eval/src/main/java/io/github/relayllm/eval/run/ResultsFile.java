package io.github.relayllm.eval.run;

import io.github.relayllm.eval.data.JsonLines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A results file: JSON Lines, one {@link ResultRecord} per line, appended and flushed one problem at a time so that
 * an interrupted run loses nothing it finished.
 * <p>
 * Reading tolerates a truncated last line (the process died while writing it): it is ignored, and
 * {@link #openForAppend()} cuts it off before appending. A bad line anywhere else is an error.
 */
public final class ResultsFile {

    private final Path file;

    public ResultsFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** What a results file holds: its records in file order and the length of its complete lines in bytes. */
    public record Contents(List<ResultRecord> records, long validBytes, boolean truncatedLastLine) {

        /**
         * The last record of each (id, sample): a sample that failed and was run again counts once, as its rerun.
         */
        public Collection<ResultRecord> latest() {
            Map<String, ResultRecord> latest = new LinkedHashMap<>();
            for (ResultRecord record : records) {
                latest.put(record.id() + "\u0000" + record.sample(), record);
            }
            return latest.values();
        }
    }

    /** The records already in the file; empty when the file does not exist. */
    public Contents read() {
        if (!Files.exists(file)) {
            return new Contents(List.of(), 0, false);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results file " + file + ": " + e.getMessage(), e);
        }
        List<ResultRecord> records = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            boolean complete = end < bytes.length;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            if (!line.isBlank()) {
                try {
                    records.add(ResultRecord.fromJson(JsonLines.parseObject(line, file, lineNumber)));
                } catch (IllegalArgumentException e) {
                    if (!complete) {
                        return new Contents(records, start, true);
                    }
                    throw new IllegalArgumentException("results file " + file + " line " + lineNumber
                            + " is damaged (" + e.getMessage() + "); fix or remove that line to resume");
                }
            }
            start = complete ? end + 1 : end;
        }
        return new Contents(records, bytes.length, false);
    }

    /**
     * Opens the file for appending, creating it (and its folder) when needed; a truncated last line is cut off
     * first, and a last line without its newline gets one.
     */
    public Writer openForAppend() {
        Contents contents = read();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(file)) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(contents.validBytes());
                }
            }
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (contents.validBytes() > 0 && !endsWithNewline()) {
                out.write('\n');
                out.flush();
            }
            return new Writer(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results file " + file + ": " + e.getMessage(), e);
        }
    }

    private boolean endsWithNewline() throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    /** Appends records one line at a time; thread-safe; each line is flushed before {@link #append} returns. */
    public static final class Writer implements AutoCloseable {

        private final OutputStream out;

        private Writer(OutputStream out) {
            this.out = out;
        }

        public synchronized void append(ResultRecord record) {
            try {
                byte[] line = (JsonLines.mapper().writeValueAsString(record.toJson()) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to results file: " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
