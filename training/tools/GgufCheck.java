// Checks a GGUF written by the trainer against java-llama.cpp (de.kherud:llama 4.2.0, llama.cpp b4916):
// prints the ids llama.cpp gives each tokenizer case and the greedy completion of each prompt.
// Usage: java -cp llama-4.2.0.jar GgufCheck.java model.gguf cases.txt prompts.txt n_predict
// (cases/prompts: one JSON string per line; output: one tab-separated line per input)
import de.kherud.llama.*;
import java.nio.file.*;
import java.util.*;

public class GgufCheck {
    static String unjson(String s) {
        s = s.trim(); s = s.substring(1, s.length() - 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') { b.append(c); continue; }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n'); case 't' -> b.append('\t'); case '"' -> b.append('"');
                case '\\' -> b.append('\\'); case '/' -> b.append('/');
                case 'u' -> { b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16)); i += 4; }
                default -> throw new IllegalArgumentException("escape " + n);
            }
        }
        return b.toString();
    }

    public static void main(String[] a) throws Exception {
        LlamaModel m = new LlamaModel(new ModelParameters().setModel(a[0]).setThreads(1).setThreadsBatch(2)
                .setCtxSize(256).disableLog());
        for (String line : Files.readAllLines(Path.of(a[1])))
            if (!line.isBlank()) System.out.println("TOK\t" + Arrays.toString(m.encode(unjson(line))));
        int n = Integer.parseInt(a[3]);
        for (String line : Files.readAllLines(Path.of(a[2]))) {
            if (line.isBlank()) continue;
            InferenceParameters p = new InferenceParameters(unjson(line)).setTemperature(0f).setTopK(1)
                    .setNPredict(n).setSeed(1).setCachePrompt(false);
            String out = m.complete(p);
            System.out.println("GEN\t" + out.replace("\n", "\\n"));
        }
        System.exit(0);
    }
}
