package io.github.relayllm.langchain4j.llamacpp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufHeaderTest {

    @TempDir
    Path dir;

    /** A GGUF v3 file: llama metadata, a string array (a vocabulary), one F32 tensor of 4 x 8 values. */
    static byte[] gguf(int version) {
        Bytes b = new Bytes();
        b.raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(1).u64(4);
        b.string("general.architecture").u32(8).string("llama");
        b.string("llama.context_length").u32(4).u32(512);
        b.string("tokenizer.ggml.add_bos_token").u32(7).u8(1);
        b.string("tokenizer.ggml.tokens").u32(9).u32(8).u64(3).string("<unk>").string("<s>").string("</s>");
        b.string("token_embd.weight").u32(2).u64(8).u64(4).u32(0).u64(0);
        while (b.size() % 32 != 0) {
            b.u8(0);
        }
        b.raw(new byte[4 * 8 * 4]);
        return b.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void should_read_the_metadata_of_a_valid_file() throws IOException {
        // given
        Path file = write("ok.gguf", gguf(3));

        // when
        GgufHeader header = GgufHeader.read(file, "modelPath " + file);

        // then
        assertThat(header.architecture()).isEqualTo("llama");
        assertThat(header.contextLength()).isEqualTo(512);
        assertThat(header.addBosToken()).isTrue();
        assertThat(header.tensorCount()).isEqualTo(1);
        assertThat(header.expectedFileSize()).isEqualTo(Files.size(file));
    }

    @Test
    void should_name_the_file_that_does_not_exist() {
        Path file = dir.resolve("missing.gguf");
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelPath " + file)
                .hasMessageContaining("does not exist");
    }

    @Test
    void should_name_a_file_that_is_not_gguf() throws IOException {
        Path file = write("model.bin", "\u007fELF this is a shared library, not a model".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelPath " + file)
                .hasMessageContaining("is not a GGUF file (it starts with bytes 7f 45 4c 46");
    }

    @Test
    void should_name_an_empty_file() throws IOException {
        Path file = write("empty.gguf", new byte[0]);
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty.gguf")
                .hasMessageContaining("is not a GGUF file");
    }

    @Test
    void should_name_a_file_cut_inside_its_header() throws IOException {
        byte[] whole = gguf(3);
        Path file = write("cut-header.gguf", Arrays.copyOf(whole, 60));
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut-header.gguf")
                .hasMessageContaining("truncated");
    }

    @Test
    void should_name_a_file_cut_inside_its_tensor_data() throws IOException {
        byte[] whole = gguf(3);
        Path file = write("cut-data.gguf", Arrays.copyOf(whole, whole.length - 1));
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut-data.gguf")
                .hasMessageContaining("is truncated: its header declares 1 tensors ending at byte " + whole.length)
                .hasMessageContaining("the file has " + (whole.length - 1) + " bytes");
    }

    @Test
    void should_reject_an_unsupported_version() throws IOException {
        Path file = write("v1.gguf", gguf(1));
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GGUF version 1");
    }

    @Test
    void should_reject_garbage_counts_without_reading_them() throws IOException {
        // given: a GGUF magic followed by random bytes (a huge metadata count)
        byte[] bytes = new byte[64];
        Arrays.fill(bytes, (byte) 0x7f);
        System.arraycopy("GGUF".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        bytes[4] = 3;
        bytes[5] = 0;
        bytes[6] = 0;
        bytes[7] = 0;
        Path file = write("garbage.gguf", bytes);

        // when / then
        assertThatThrownBy(() -> GgufHeader.read(file, "modelPath " + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbage.gguf")
                .hasMessageContaining("more than the 64-byte file can hold");
    }

    @Test
    void should_check_the_file_before_the_backend_loads_native_code() throws IOException {
        // given
        Path file = write("not-a-model.gguf", "hello".getBytes(StandardCharsets.US_ASCII));

        // when / then: the message names the setting and the file; native code never saw it
        assertThatThrownBy(() -> LlamaCppCompletionBackend.builder().modelPath(file).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelPath " + file.toAbsolutePath())
                .hasMessageContaining("is not a GGUF file");
    }

    @Test
    void should_name_a_missing_classpath_resource() {
        assertThatThrownBy(() -> LlamaCppCompletionBackend.builder().modelResource("models/nowhere.gguf").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelResource models/nowhere.gguf is not on the classpath");
    }

    @Test
    void should_ask_for_exactly_one_model_source() {
        assertThatThrownBy(() -> LlamaCppCompletionBackend.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of modelPath and modelResource");
    }

    /** Little-endian bytes, as GGUF writes them. */
    private static final class Bytes {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Bytes u8(int value) {
            out.write(value);
            return this;
        }

        Bytes u32(int value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        }

        Bytes u64(long value) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        Bytes string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return u64(bytes.length).raw(bytes);
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
