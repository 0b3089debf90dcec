package io.github.relayllm.eval.grading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a predicted final answer means the same as the reference answer, well enough for GSM8K and
 * MATH-500: numbers with thousands separators, fractions, decimals, percent, {@code \frac}/{@code \dfrac},
 * {@code \left}/{@code \right}, {@code \text{…}} units, degrees, {@code \sqrt}, expressions compared numerically at
 * random points, equations (up to a constant factor), tuples, intervals, matrices, sets and lists of answers
 * (order-free), {@code \pm}.
 * <p>
 * It answers "same value", not "same form": {@code 0.5} equals {@code \frac{1}{2}}. Numbers are equal when they
 * differ by at most one part in a million.
 */
public final class MathEquivalence {

    private static final double RELATIVE_TOLERANCE = 1e-6;
    private static final int RANDOM_POINTS = 5;
    private static final Pattern SET_MEMBERSHIP = Pattern.compile("^[a-zA-Z]\\s*\\\\in(?![a-zA-Z])\\s*");
    private static final Pattern MATRIX = Pattern.compile("^\\\\begin\\{([pbvB]?matrix)\\}(.*)\\\\end\\{\\1\\}$");
    private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z](\\([a-zA-Z]\\))?$");
    private static final Pattern WORD = Pattern.compile("(?<![\\\\a-zA-Z])[a-zA-Z]{3,}");

    private MathEquivalence() {
    }

    /** Whether {@code predicted} and {@code reference} are the same answer; false when either is null or blank. */
    public static boolean equivalent(String predicted, String reference) {
        if (predicted == null || reference == null || predicted.isBlank() || reference.isBlank()) {
            return false;
        }
        String a = LatexNormalizer.normalize(predicted);
        String b = LatexNormalizer.normalize(reference);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        return shapesEqual(Shape.of(a), Shape.of(b));
    }

    /** The canonical text form of an answer (what {@link #equivalent} compares before trying values). */
    public static String normalize(String answer) {
        return answer == null ? "" : LatexNormalizer.normalize(answer);
    }

    /** An answer's structure: a single value, an ordered tuple/interval/matrix, or an order-free list. */
    private record Shape(Kind kind, String text, String open, String close, List<Shape> items) {

        enum Kind { LEAF, ORDERED, UNORDERED }

        static Shape leaf(String text) {
            return new Shape(Kind.LEAF, text, null, null, List.of());
        }

        static Shape of(String s) {
            s = SET_MEMBERSHIP.matcher(s).replaceFirst("");
            Matcher matrix = MATRIX.matcher(s);
            if (matrix.matches()) {
                List<String> rows = splitTopLevel(matrix.group(2), "\\\\");
                List<Shape> cells = new ArrayList<>();
                int columns = -1;
                for (String row : rows) {
                    if (row.isBlank()) {
                        continue;
                    }
                    List<String> rowCells = splitTopLevel(row, "&");
                    columns = rowCells.size();
                    rowCells.forEach(cell -> cells.add(of(cell.strip())));
                }
                return new Shape(Kind.ORDERED, null, "matrix" + columns, "", cells);
            }
            List<String> union = splitTopLevel(s, "\\cup");
            if (union.size() > 1) {
                return unordered(union);
            }
            if (s.startsWith("\\{") && s.endsWith("\\}") && s.length() >= 4) {
                return unordered(splitTopLevel(s.substring(2, s.length() - 2), ","));
            }
            if (wrappedInBrackets(s)) {
                List<String> parts = splitTopLevel(s.substring(1, s.length() - 1), ",");
                if (parts.size() > 1) {
                    List<Shape> items = new ArrayList<>();
                    parts.forEach(part -> items.add(of(part.strip())));
                    return new Shape(Kind.ORDERED, null, s.substring(0, 1), s.substring(s.length() - 1), items);
                }
            }
            List<String> list = splitTopLevel(s, ",");
            if (list.size() == 1) {
                list = splitTopLevel(s, ";");
            }
            if (list.size() > 1) {
                return unordered(list);
            }
            for (String sign : List.of("\\pm", "\\mp")) {
                int at = s.indexOf(sign);
                if (at >= 0 && s.indexOf(sign, at + 1) < 0 && !Character.isLetter(charAt(s, at + sign.length()))) {
                    String head = s.substring(0, at);
                    String tail = s.substring(at + sign.length());
                    return new Shape(Kind.UNORDERED, null, null, null,
                            List.of(leaf(head + "+" + tail), leaf(head + "-" + tail)));
                }
            }
            return leaf(s);
        }

        private static Shape unordered(List<String> parts) {
            List<Shape> items = new ArrayList<>();
            for (String part : parts) {
                if (part.isBlank()) {
                    continue;
                }
                Shape item = of(part.strip());
                if (item.kind == Kind.UNORDERED) {
                    items.addAll(item.items);
                } else {
                    items.add(item);
                }
            }
            return items.size() == 1 ? items.get(0) : new Shape(Kind.UNORDERED, null, null, null, items);
        }
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private static boolean wrappedInBrackets(String s) {
        if (s.length() < 2 || "([".indexOf(s.charAt(0)) < 0 || ")]".indexOf(s.charAt(s.length() - 1)) < 0) {
            return false;
        }
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0 && i < s.length() - 1) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    /** Splits at {@code separator} where no bracket or brace is open. */
    static List<String> splitTopLevel(String s, String separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.startsWith(separator, i) && depth == 0) {
                parts.add(s.substring(start, i));
                i += separator.length() - 1;
                start = i + 1;
                continue;
            }
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                depth += s.charAt(i + 1) == '{' ? 1 : -1;
                i++;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && s.startsWith(separator, i)) {
                parts.add(s.substring(start, i));
                i += separator.length() - 1;
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static boolean shapesEqual(Shape a, Shape b) {
        if (a.kind() == Shape.Kind.LEAF && b.kind() == Shape.Kind.LEAF) {
            return leafEqual(a.text(), b.text());
        }
        if (a.kind() == Shape.Kind.ORDERED && b.kind() == Shape.Kind.ORDERED) {
            return a.open().equals(b.open()) && a.close().equals(b.close()) && inOrder(a.items(), b.items());
        }
        if (a.kind() == Shape.Kind.UNORDERED && b.kind() == Shape.Kind.UNORDERED) {
            return anyOrder(a.items(), b.items());
        }
        // "-1, 6" for the point (-1,6): a bare list may stand for a tuple, read in order
        if (a.kind() == Shape.Kind.UNORDERED && b.kind() == Shape.Kind.ORDERED && "(".equals(b.open())) {
            return inOrder(a.items(), b.items());
        }
        if (b.kind() == Shape.Kind.UNORDERED && a.kind() == Shape.Kind.ORDERED && "(".equals(a.open())) {
            return inOrder(a.items(), b.items());
        }
        return false;
    }

    private static boolean inOrder(List<Shape> a, List<Shape> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!shapesEqual(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyOrder(List<Shape> a, List<Shape> b) {
        if (a.size() != b.size()) {
            return false;
        }
        return match(a, 0, b, new boolean[b.size()]);
    }

    private static boolean match(List<Shape> a, int index, List<Shape> b, boolean[] used) {
        if (index == a.size()) {
            return true;
        }
        for (int j = 0; j < b.size(); j++) {
            if (!used[j] && shapesEqual(a.get(index), b.get(j))) {
                used[j] = true;
                if (match(a, index + 1, b, used)) {
                    return true;
                }
                used[j] = false;
            }
        }
        return false;
    }

    private static boolean leafEqual(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (WORD.matcher(a).find() || WORD.matcher(b).find()) {
            return a.replace(" ", "").equalsIgnoreCase(b.replace(" ", ""));
        }
        List<String> aSides = splitTopLevel(a, "=");
        List<String> bSides = splitTopLevel(b, "=");
        if (aSides.size() == 2 && bSides.size() == 2) {
            return equationsEqual(aSides, bSides);
        }
        if (aSides.size() == 2 && bSides.size() == 1 && FUNCTION_NAME.matcher(aSides.get(0).strip()).matches()) {
            return leafEqual(aSides.get(1).strip(), b);
        }
        if (bSides.size() == 2 && aSides.size() == 1 && FUNCTION_NAME.matcher(bSides.get(0).strip()).matches()) {
            return leafEqual(a, bSides.get(1).strip());
        }
        if (aSides.size() != 1 || bSides.size() != 1) {
            return false;
        }
        for (String aVariant : percentVariants(a)) {
            for (String bVariant : percentVariants(b)) {
                if (aVariant.equals(bVariant) || valuesEqual(aVariant, bVariant)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "50%" may be meant as 0.5 or as 50. */
    private static Set<String> percentVariants(String s) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(s);
        if (s.endsWith("%")) {
            variants.add(s.substring(0, s.length() - 1).strip());
        }
        return variants;
    }

    private static boolean valuesEqual(String a, String b) {
        MathExpression x = MathExpression.parse(a);
        MathExpression y = MathExpression.parse(b);
        if (x == null || y == null) {
            return false;
        }
        Set<String> variables = new LinkedHashSet<>(x.variables());
        variables.addAll(y.variables());
        int points = variables.isEmpty() ? 1 : RANDOM_POINTS;
        int compared = 0;
        for (int point = 0; point < points; point++) {
            Map<String, Double> values = randomPoint(variables, point);
            double u = x.evaluate(values);
            double v = y.evaluate(values);
            if (Double.isNaN(u) || Double.isNaN(v)) {
                if (Double.isNaN(u) != Double.isNaN(v)) {
                    return false;
                }
                continue;
            }
            if (!close(u, v)) {
                return false;
            }
            compared++;
        }
        return compared > 0;
    }

    /** Equations are equal when lhs - rhs of one is a non-zero constant multiple of the other's. */
    private static boolean equationsEqual(List<String> a, List<String> b) {
        MathExpression al = MathExpression.parse(a.get(0)), ar = MathExpression.parse(a.get(1));
        MathExpression bl = MathExpression.parse(b.get(0)), br = MathExpression.parse(b.get(1));
        if (al == null || ar == null || bl == null || br == null) {
            return false;
        }
        Set<String> variables = new LinkedHashSet<>(al.variables());
        variables.addAll(ar.variables());
        variables.addAll(bl.variables());
        variables.addAll(br.variables());
        Double ratio = null;
        for (int point = 0; point < RANDOM_POINTS; point++) {
            Map<String, Double> values = randomPoint(variables, point);
            double u = al.evaluate(values) - ar.evaluate(values);
            double v = bl.evaluate(values) - br.evaluate(values);
            if (!Double.isFinite(u) || !Double.isFinite(v)) {
                return false;
            }
            boolean uZero = Math.abs(u) < 1e-12, vZero = Math.abs(v) < 1e-12;
            if (uZero || vZero) {
                if (uZero != vZero) {
                    return false;
                }
                continue;
            }
            double r = u / v;
            if (ratio == null) {
                ratio = r;
            } else if (!close(ratio, r)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Double> randomPoint(Set<String> variables, int point) {
        Map<String, Double> values = new HashMap<>();
        for (String variable : variables) {
            Random random = new Random(31L * variable.hashCode() + 7919L * point + 17);
            values.put(variable, 0.5 + 2.5 * random.nextDouble());
        }
        return values;
    }

    private static boolean close(double u, double v) {
        if (Double.isInfinite(u) || Double.isInfinite(v)) {
            return u == v;
        }
        double difference = Math.abs(u - v);
        return difference <= RELATIVE_TOLERANCE * Math.max(Math.abs(u), Math.abs(v)) || difference < 1e-12;
    }
}
