package io.github.relayllm.eval.grading;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed arithmetic expression in the LaTeX subset that math answers use ({@code 2\sqrt{3}}, {@code \frac{a}{b}},
 * {@code x^2+3x}, {@code \pi}, {@code \cot x}, implicit multiplication), evaluated numerically.
 * <p>
 * Letters are free variables (the imaginary unit {@code i} too: two answers that are equal as polynomials in
 * {@code i} are equal complex numbers), so two expressions are compared by evaluating both at the same random
 * points rather than by symbolic algebra. {@link #parse(String)} returns {@code null} for anything it cannot read;
 * callers then fall back to comparing text.
 */
final class MathExpression {

    /** An evaluable node; {@code vars} maps each variable to its value for one evaluation. */
    interface Node {
        double eval(Map<String, Double> vars);
    }

    private static final Set<String> FUNCTIONS = Set.of("sin", "cos", "tan", "cot", "sec", "csc", "ln", "log",
            "exp", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh");

    private final Node root;
    private final Set<String> variables;

    private MathExpression(Node root, Set<String> variables) {
        this.root = root;
        this.variables = variables;
    }

    /** The free variables (single letters) of the expression, sorted. */
    Set<String> variables() {
        return variables;
    }

    double evaluate(Map<String, Double> vars) {
        return root.eval(vars);
    }

    /** Parses a normalised answer; {@code null} when the text is not an expression this parser understands. */
    static MathExpression parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Parser parser = new Parser(text);
        try {
            Node node = parser.expression();
            parser.skipSpaces();
            if (parser.pos != text.length()) {
                return null;
            }
            return new MathExpression(node, parser.variables);
        } catch (ParseFailure e) {
            return null;
        }
    }

    private static final class ParseFailure extends RuntimeException {
        ParseFailure() {
            super(null, null, false, false);
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;
        private final Set<String> variables = new TreeSet<>();

        Parser(String s) {
            this.s = s;
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            skipSpaces();
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private boolean eat(char c) {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!eat(c)) {
                throw new ParseFailure();
            }
        }

        /** The command name at the cursor ({@code \frac} gives "frac") without consuming it, or null. */
        private String peekCommand() {
            skipSpaces();
            if (pos >= s.length() || s.charAt(pos) != '\\') {
                return null;
            }
            int end = pos + 1;
            while (end < s.length() && Character.isLetter(s.charAt(end))) {
                end++;
            }
            return end == pos + 1 ? null : s.substring(pos + 1, end);
        }

        private void eatCommand(String name) {
            skipSpaces();
            pos += 1 + name.length();
        }

        Node expression() {
            Node left = term();
            while (true) {
                if (eat('+')) {
                    Node l = left, r = term();
                    left = v -> l.eval(v) + r.eval(v);
                } else if (eat('-')) {
                    Node l = left, r = term();
                    left = v -> l.eval(v) - r.eval(v);
                } else {
                    return left;
                }
            }
        }

        private Node term() {
            Node left = unary();
            while (true) {
                String command = peekCommand();
                if (eat('*') || "cdot".equals(command) || "times".equals(command)) {
                    if (command != null) {
                        eatCommand(command);
                    }
                    Node l = left, r = unary();
                    left = v -> l.eval(v) * r.eval(v);
                } else if (eat('/') || "div".equals(command)) {
                    if ("div".equals(command)) {
                        eatCommand(command);
                    }
                    Node l = left, r = unary();
                    left = v -> l.eval(v) / r.eval(v);
                } else if (startsImplicitFactor()) {
                    Node l = left, r = power();
                    left = v -> l.eval(v) * r.eval(v);
                } else {
                    return left;
                }
            }
        }

        private boolean startsImplicitFactor() {
            char c = peek();
            if (Character.isDigit(c) || c == '.' || Character.isLetter(c) || c == '(' || c == '{') {
                return true;
            }
            String command = peekCommand();
            return command != null && startsPrimaryCommand(command);
        }

        private static boolean startsPrimaryCommand(String command) {
            return switch (command) {
                case "frac", "sqrt", "pi", "infty", "binom", "lfloor", "lceil" -> true;
                default -> FUNCTIONS.contains(command);
            };
        }

        private Node unary() {
            if (eat('-')) {
                Node inner = unary();
                return v -> -inner.eval(v);
            }
            if (eat('+')) {
                return unary();
            }
            return power();
        }

        private Node power() {
            Node base = postfix();
            if (eat('^')) {
                Node exponent = superscript();
                Node b = base;
                return v -> Math.pow(b.eval(v), exponent.eval(v));
            }
            return base;
        }

        /** {@code ^{...}}, {@code ^2} (one character, as LaTeX reads it), {@code ^-1}, {@code ^\pi}. */
        private Node superscript() {
            char c = peek();
            if (c == '{') {
                return group('{', '}');
            }
            if (c == '-') {
                pos++;
                Node inner = superscript();
                return v -> -inner.eval(v);
            }
            if (Character.isDigit(c)) {
                pos++;
                double d = c - '0';
                return v -> d;
            }
            return primary();
        }

        private Node postfix() {
            Node node = primary();
            while (true) {
                if (eat('!')) {
                    Node inner = node;
                    node = v -> factorial(inner.eval(v));
                } else if (eat('%')) {
                    Node inner = node;
                    node = v -> inner.eval(v) / 100.0;
                } else {
                    return node;
                }
            }
        }

        private Node group(char open, char close) {
            expect(open);
            Node inner = expression();
            expect(close);
            return inner;
        }

        /** A command argument: {@code {...}}, or a single digit or letter ({@code \frac12}, {@code \sqrt2}). */
        private Node argument() {
            char c = peek();
            if (c == '{') {
                return group('{', '}');
            }
            if (Character.isDigit(c)) {
                pos++;
                double d = c - '0';
                return v -> d;
            }
            if (Character.isLetter(c)) {
                pos++;
                return variable(String.valueOf(c));
            }
            if (c == '\\') {
                return primary();
            }
            throw new ParseFailure();
        }

        private Node variable(String name) {
            variables.add(name);
            return v -> v.getOrDefault(name, Double.NaN);
        }

        private Node primary() {
            char c = peek();
            if (Character.isDigit(c) || c == '.') {
                return number();
            }
            if (Character.isLetter(c)) {
                pos++;
                return variable(String.valueOf(c));
            }
            if (c == '(') {
                return group('(', ')');
            }
            if (c == '[') {
                return group('[', ']');
            }
            if (c == '{') {
                return group('{', '}');
            }
            if (c == '|') {
                Node inner = group('|', '|');
                return v -> Math.abs(inner.eval(v));
            }
            String command = peekCommand();
            if (command == null) {
                throw new ParseFailure();
            }
            eatCommand(command);
            switch (command) {
                case "frac": {
                    Node numerator = argument();
                    Node denominator = argument();
                    return v -> numerator.eval(v) / denominator.eval(v);
                }
                case "sqrt": {
                    Node degree = null;
                    if (peek() == '[') {
                        degree = group('[', ']');
                    }
                    Node radicand = argument();
                    if (degree == null) {
                        return v -> Math.sqrt(radicand.eval(v));
                    }
                    Node n = degree;
                    return v -> root(radicand.eval(v), n.eval(v));
                }
                case "binom": {
                    Node n = argument();
                    Node k = argument();
                    return v -> binomial(n.eval(v), k.eval(v));
                }
                case "pi":
                    return v -> Math.PI;
                case "infty":
                    return v -> Double.POSITIVE_INFINITY;
                case "lfloor": {
                    Node inner = expression();
                    if (!"rfloor".equals(peekCommand())) {
                        throw new ParseFailure();
                    }
                    eatCommand("rfloor");
                    return v -> Math.floor(inner.eval(v));
                }
                case "lceil": {
                    Node inner = expression();
                    if (!"rceil".equals(peekCommand())) {
                        throw new ParseFailure();
                    }
                    eatCommand("rceil");
                    return v -> Math.ceil(inner.eval(v));
                }
                default:
                    if (FUNCTIONS.contains(command)) {
                        return function(command);
                    }
                    throw new ParseFailure();
            }
        }

        /** {@code \sin x}, {@code \sin(2x)}, {@code \sin^2 x}, {@code \log_2 8}. */
        private Node function(String name) {
            Node exponent = null;
            Node base = null;
            if ("log".equals(name) && eat('_')) {
                base = argument();
            }
            if (eat('^')) {
                exponent = superscript();
            }
            Node argument;
            if (peek() == '(') {
                argument = group('(', ')');
            } else {
                // "\sin 2x" reads as sin(2x): a run of factors without explicit operators
                Node arg = power();
                while (Character.isLetterOrDigit(peek()) || peek() == '.') {
                    Node l = arg, r = power();
                    arg = v -> l.eval(v) * r.eval(v);
                }
                argument = arg;
            }
            Node arg = argument, logBase = base;
            Node applied = switch (name) {
                case "sin" -> v -> Math.sin(arg.eval(v));
                case "cos" -> v -> Math.cos(arg.eval(v));
                case "tan" -> v -> Math.tan(arg.eval(v));
                case "cot" -> v -> 1 / Math.tan(arg.eval(v));
                case "sec" -> v -> 1 / Math.cos(arg.eval(v));
                case "csc" -> v -> 1 / Math.sin(arg.eval(v));
                case "ln" -> v -> Math.log(arg.eval(v));
                case "log" -> logBase == null
                        ? v -> Math.log10(arg.eval(v))
                        : v -> Math.log(arg.eval(v)) / Math.log(logBase.eval(v));
                case "exp" -> v -> Math.exp(arg.eval(v));
                case "arcsin" -> v -> Math.asin(arg.eval(v));
                case "arccos" -> v -> Math.acos(arg.eval(v));
                case "arctan" -> v -> Math.atan(arg.eval(v));
                case "sinh" -> v -> Math.sinh(arg.eval(v));
                case "cosh" -> v -> Math.cosh(arg.eval(v));
                case "tanh" -> v -> Math.tanh(arg.eval(v));
                default -> throw new ParseFailure();
            };
            if (exponent == null) {
                return applied;
            }
            Node e = exponent;
            return v -> Math.pow(applied.eval(v), e.eval(v));
        }

        private Node number() {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            String digits = s.substring(start, pos);
            if (digits.equals(".")) {
                throw new ParseFailure();
            }
            // "204_5": a number in another base is compared as text, not as a value
            if (pos < s.length() && s.charAt(pos) == '_') {
                throw new ParseFailure();
            }
            double value = Double.parseDouble(digits);
            return v -> value;
        }
    }

    private static double factorial(double n) {
        if (n < 0 || n != Math.rint(n) || n > 170) {
            return Double.NaN;
        }
        double result = 1;
        for (int i = 2; i <= n; i++) {
            result *= i;
        }
        return result;
    }

    private static double binomial(double n, double k) {
        if (k < 0 || k != Math.rint(k) || n != Math.rint(n) || k > n) {
            return Double.NaN;
        }
        double result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return Math.rint(result);
    }

    private static double root(double x, double n) {
        if (x < 0 && n == Math.rint(n) && ((long) n) % 2 == 1) {
            return -Math.pow(-x, 1 / n);
        }
        return Math.pow(x, 1 / n);
    }
}
