package io.github.relayllm.langchain4j.javallama;

/**
 * The forward pass of a small Llama, in plain Java, exactly as the project's trainer defines it
 * ({@code training/model.py}) and as llama.cpp's {@code llama} architecture runs it: RMSNorm
 * ({@code x / sqrt(mean(x^2) + eps) * w}), RoPE rotating adjacent pairs {@code (x[2i], x[2i+1])} by
 * {@code pos * freq_base^(-2i/n_rot)}, causal attention with grouped-query heads, a SwiGLU feed-forward
 * ({@code down(silu(gate(x)) * up(x))}), a final RMSNorm and the output projection ({@code output}, or the token
 * embeddings when the file has no {@code output} tensor: tied embeddings).
 * <p>
 * Why plain Java: the embedded models have 0.1–3M parameters, so one token is 0.2–6 MFLOP, a fraction of a
 * millisecond to a few milliseconds in a JIT-compiled loop, while the Java binding of llama.cpp (java-llama.cpp 4.2.0)
 * cannot return token probabilities at all. Exporting to ONNX with a KV cache would add a native runtime of ~40 MB
 * and an export path to maintain. The price is speed: scalar Java loops are 3–7 times slower than llama.cpp's SIMD
 * kernels here (about 180–850 tokens/s against 1,200–2,400 on 2 cores, {@code JavaLlamaBenchmark}), which is still
 * far more than a relay over these models needs. Weights are {@code float[]} rows read straight from the GGUF file
 * (F32, or F16 widened to F32).
 * <p>
 * Not thread-safe by itself: one {@link State} per sequence, used by one thread at a time.
 */
final class JavaLlamaModel {

    final int dim;
    final int layers;
    final int heads;
    final int kvHeads;
    final int headDim;
    final int ffnDim;
    final int vocabularySize;
    final int contextLength;
    final int ropeDims;
    final float ropeBase;
    final float eps;

    private final float[] tokenEmbeddings;
    private final float[][] attnNorm;
    private final float[][] wq;
    private final float[][] wk;
    private final float[][] wv;
    private final float[][] wo;
    private final float[][] ffnNorm;
    private final float[][] wGate;
    private final float[][] wUp;
    private final float[][] wDown;
    private final float[] outputNorm;
    private final float[] output;
    /** cos/sin of every (position, pair): RoPE tables computed once. */
    private final float[] ropeCos;
    private final float[] ropeSin;

    JavaLlamaModel(JavaLlamaGguf gguf, String what) {
        String architecture = gguf.text("general.architecture");
        if (architecture != null && !"llama".equals(architecture)) {
            throw new IllegalArgumentException(what + " has general.architecture=" + architecture
                    + "; the Java engine runs the 'llama' architecture only");
        }
        this.dim = gguf.integer("llama.embedding_length", what);
        this.layers = gguf.integer("llama.block_count", what);
        this.heads = gguf.integer("llama.attention.head_count", what);
        Object kv = gguf.metadata("llama.attention.head_count_kv");
        this.kvHeads = kv instanceof Number n ? n.intValue() : heads;
        this.ffnDim = gguf.integer("llama.feed_forward_length", what);
        this.contextLength = gguf.integer("llama.context_length", what);
        this.headDim = dim / heads;
        Object rope = gguf.metadata("llama.rope.dimension_count");
        this.ropeDims = rope instanceof Number n ? n.intValue() : headDim;
        this.ropeBase = gguf.real("llama.rope.freq_base", 10000f);
        Object epsValue = gguf.metadata("llama.attention.layer_norm_rms_epsilon");
        if (!(epsValue instanceof Number)) {
            throw new IllegalArgumentException(what + " lacks the GGUF metadata key llama.attention.layer_norm_rms_epsilon");
        }
        this.eps = ((Number) epsValue).floatValue();
        if (dim % heads != 0 || heads % kvHeads != 0 || ropeDims > headDim || ropeDims % 2 != 0) {
            throw new IllegalArgumentException(what + ": unsupported head layout (embedding_length " + dim
                    + ", head_count " + heads + ", head_count_kv " + kvHeads + ", rope.dimension_count " + ropeDims + ")");
        }
        float[] embeddings = gguf.tensor("token_embd.weight");
        if (embeddings == null || embeddings.length % dim != 0) {
            throw new IllegalArgumentException(what + " lacks a token_embd.weight tensor of embedding_length columns");
        }
        this.vocabularySize = embeddings.length / dim;
        this.tokenEmbeddings = embeddings;
        int kvDim = kvHeads * headDim;
        attnNorm = new float[layers][];
        wq = new float[layers][];
        wk = new float[layers][];
        wv = new float[layers][];
        wo = new float[layers][];
        ffnNorm = new float[layers][];
        wGate = new float[layers][];
        wUp = new float[layers][];
        wDown = new float[layers][];
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            attnNorm[l] = gguf.tensor(p + "attn_norm.weight", dim, what);
            wq[l] = gguf.tensor(p + "attn_q.weight", (long) dim * dim, what);
            wk[l] = gguf.tensor(p + "attn_k.weight", (long) kvDim * dim, what);
            wv[l] = gguf.tensor(p + "attn_v.weight", (long) kvDim * dim, what);
            wo[l] = gguf.tensor(p + "attn_output.weight", (long) dim * dim, what);
            ffnNorm[l] = gguf.tensor(p + "ffn_norm.weight", dim, what);
            wGate[l] = gguf.tensor(p + "ffn_gate.weight", (long) ffnDim * dim, what);
            wUp[l] = gguf.tensor(p + "ffn_up.weight", (long) ffnDim * dim, what);
            wDown[l] = gguf.tensor(p + "ffn_down.weight", (long) dim * ffnDim, what);
        }
        this.outputNorm = gguf.tensor("output_norm.weight", dim, what);
        float[] out = gguf.tensor("output.weight");
        this.output = out != null ? gguf.tensor("output.weight", (long) vocabularySize * dim, what) : tokenEmbeddings;
        int pairs = ropeDims / 2;
        ropeCos = new float[contextLength * pairs];
        ropeSin = new float[contextLength * pairs];
        for (int pos = 0; pos < contextLength; pos++) {
            for (int i = 0; i < pairs; i++) {
                double angle = pos * Math.pow(ropeBase, -2.0 * i / ropeDims);
                ropeCos[pos * pairs + i] = (float) Math.cos(angle);
                ropeSin[pos * pairs + i] = (float) Math.sin(angle);
            }
        }
    }

    long parameterCount() {
        long count = tokenEmbeddings.length + outputNorm.length + (output == tokenEmbeddings ? 0 : output.length);
        for (int l = 0; l < layers; l++) {
            count += attnNorm[l].length + wq[l].length + wk[l].length + wv[l].length + wo[l].length
                    + ffnNorm[l].length + wGate[l].length + wUp[l].length + wDown[l].length;
        }
        return count;
    }

    State newState() {
        return new State();
    }

    /** One sequence: its KV cache and scratch buffers. */
    final class State {

        private final float[][] keys = new float[layers][];
        private final float[][] values = new float[layers][];
        private final float[] x = new float[dim];
        private final float[] h = new float[dim];
        private final float[] q = new float[dim];
        private final float[] k = new float[kvHeads * headDim];
        private final float[] v = new float[kvHeads * headDim];
        private final float[] attention = new float[dim];
        private final float[] scores = new float[contextLength];
        private final float[] gate = new float[ffnDim];
        private final float[] up = new float[ffnDim];
        private final float[] logits = new float[vocabularySize];
        /** Positions held in the KV cache. */
        private int length;

        private State() {
            int kvDim = kvHeads * headDim;
            for (int l = 0; l < layers; l++) {
                keys[l] = new float[contextLength * kvDim];
                values[l] = new float[contextLength * kvDim];
            }
        }

        int length() {
            return length;
        }

        /** Forgets positions from {@code newLength} on (append-only cache: earlier positions stay valid). */
        void truncate(int newLength) {
            length = Math.min(length, newLength);
        }

        /**
         * Evaluates {@code token} at the next position and returns the logits for the position after it (a buffer
         * reused by the next call).
         */
        float[] forward(int token) {
            if (length >= contextLength) {
                throw new IllegalStateException("the context of " + contextLength + " tokens is full");
            }
            int pos = length;
            int kvDim = kvHeads * headDim;
            System.arraycopy(tokenEmbeddings, token * dim, x, 0, dim);
            for (int l = 0; l < layers; l++) {
                rmsNorm(h, x, attnNorm[l]);
                matVec(q, wq[l], h, dim, dim);
                matVec(k, wk[l], h, kvDim, dim);
                matVec(v, wv[l], h, kvDim, dim);
                rope(q, heads, pos);
                rope(k, kvHeads, pos);
                System.arraycopy(k, 0, keys[l], pos * kvDim, kvDim);
                System.arraycopy(v, 0, values[l], pos * kvDim, kvDim);
                attend(l, pos);
                matVec(h, wo[l], attention, dim, dim);
                for (int i = 0; i < dim; i++) {
                    x[i] += h[i];
                }
                rmsNorm(h, x, ffnNorm[l]);
                matVec(gate, wGate[l], h, ffnDim, dim);
                matVec(up, wUp[l], h, ffnDim, dim);
                for (int i = 0; i < ffnDim; i++) {
                    float g = gate[i];
                    gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
                }
                matVec(h, wDown[l], gate, dim, ffnDim);
                for (int i = 0; i < dim; i++) {
                    x[i] += h[i];
                }
            }
            rmsNorm(h, x, outputNorm);
            matVec(logits, output, h, vocabularySize, dim);
            length = pos + 1;
            return logits;
        }

        private void attend(int layer, int pos) {
            int kvDim = kvHeads * headDim;
            int group = heads / kvHeads;
            float scale = (float) (1.0 / Math.sqrt(headDim));
            float[] layerKeys = keys[layer];
            float[] layerValues = values[layer];
            for (int head = 0; head < heads; head++) {
                int qOffset = head * headDim;
                int kvOffset = (head / group) * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t <= pos; t++) {
                    float score = dot(q, qOffset, layerKeys, t * kvDim + kvOffset, headDim) * scale;
                    scores[t] = score;
                    max = Math.max(max, score);
                }
                float sum = 0f;
                for (int t = 0; t <= pos; t++) {
                    float e = (float) Math.exp(scores[t] - max);
                    scores[t] = e;
                    sum += e;
                }
                float inverse = 1f / sum;
                java.util.Arrays.fill(attention, qOffset, qOffset + headDim, 0f);
                for (int t = 0; t <= pos; t++) {
                    float weight = scores[t] * inverse;
                    int vOffset = t * kvDim + kvOffset;
                    for (int i = 0; i < headDim; i++) {
                        attention[qOffset + i] += weight * layerValues[vOffset + i];
                    }
                }
            }
        }

        private void rope(float[] vector, int count, int pos) {
            int pairs = ropeDims / 2;
            int table = pos * pairs;
            for (int head = 0; head < count; head++) {
                int offset = head * headDim;
                for (int i = 0; i < pairs; i++) {
                    float cos = ropeCos[table + i];
                    float sin = ropeSin[table + i];
                    float x0 = vector[offset + 2 * i];
                    float x1 = vector[offset + 2 * i + 1];
                    vector[offset + 2 * i] = x0 * cos - x1 * sin;
                    vector[offset + 2 * i + 1] = x0 * sin + x1 * cos;
                }
            }
        }

        private void rmsNorm(float[] out, float[] in, float[] weight) {
            float sum = 0f;
            for (int i = 0; i < dim; i++) {
                sum += in[i] * in[i];
            }
            float scale = (float) (1.0 / Math.sqrt(sum / dim + eps));
            for (int i = 0; i < dim; i++) {
                out[i] = in[i] * scale * weight[i];
            }
        }
    }

    /** {@code out[r] = sum_c w[r * cols + c] * x[c]}, four accumulators for instruction-level parallelism. */
    static void matVec(float[] out, float[] w, float[] x, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            out[r] = dot(w, r * cols, x, 0, cols);
        }
    }

    static float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOffset + i] * b[bOffset + i];
            s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
            s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
            s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOffset + i] * b[bOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
