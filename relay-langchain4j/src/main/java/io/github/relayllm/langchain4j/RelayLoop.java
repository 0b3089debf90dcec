package io.github.relayllm.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.format.PromptFormat;
import io.github.relayllm.langchain4j.internal.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The relay: one request, the student and the teacher taking turns on one text (DESIGN section 2). Immutable and
 * thread-safe; every request gets its own {@link Run} with all the mutable state.
 * <p>
 * Per request: render the messages into the prompt P; the student continues P + S (S, its transcript, keeps its
 * commands) with the stop string {@code </call>} up to the remaining budget; when it stops on a command
 * {@code <call>N</call>} (see {@link CommandParser}), N is clamped to {@code [0, maxCallTokens]} and the budgets and
 * the teacher continues P + strip(S) (commands removed) for at most N tokens with no stop strings; its text joins S;
 * its end-of-sequence ends the answer, else the student goes on. The answer is strip(S), split by the
 * {@link PromptFormat}. Rules this class adds:
 * <ul>
 * <li>budgets are checked when the student asks for a call: {@code maxTokens} spent ends the answer with
 * {@code MAX_TOKENS}, {@code maxRounds} calls made with {@code MAX_ROUNDS}, {@code maxTeacherTokens} spent with
 * {@code MAX_TEACHER_TOKENS}; the student's own length limit is the remaining {@code maxTokens};</li>
 * <li>a student or teacher text containing an end marker of the format ({@code <|im_end|>}) is cut there and
 * counts as end-of-sequence;</li>
 * <li>a teacher failure under {@code CONTINUE_WITH_STUDENT} removes the command from S, counts a failed round and
 * turns every later command into {@code <call>0</call>}; in streaming mode teacher text already streamed before
 * the failure stays in the answer (the user has seen it);</li>
 * <li>a student failure throws {@link RelayBackendException}; {@link CancellationException} passes unchanged.</li>
 * </ul>
 * The streaming model drives the same loop through {@link RelayEvents}: {@code run(request, events)} with
 * {@code events.streaming()} true calls {@code completeStreaming} and reports the visible text as it is written.
 */
final class RelayLoop {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    private final RelaySettings settings;

    RelayLoop(RelaySettings settings) {
        this.settings = settings;
    }

    /**
     * Runs one relay request, reporting to {@code events} as it goes, and returns the response with
     * {@link RelayResponseMetadata}. {@code request} carries its final parameters (defaults already merged, as
     * {@code ChatModel.chat} does).
     */
    ChatResponse run(ChatRequest request, RelayEvents events) {
        ChatRequestParameters parameters = request.parameters();
        checkSupported(parameters);
        int budget = settings.maxTokens();
        if (parameters.maxOutputTokens() != null) {
            budget = Checks.ensureAtLeast(parameters.maxOutputTokens(), 1, "maxOutputTokens");
        }
        List<ToolSpecification> tools = parameters.toolChoice() == ToolChoice.NONE
                || parameters.toolSpecifications() == null ? List.of() : parameters.toolSpecifications();
        String toolCallStart = toolCallStart(parameters, tools);
        JsonResponseFormat json = JsonResponseFormat.of(parameters.responseFormat());
        List<ChatMessage> messages = json == null ? request.messages() : json.instruct(request.messages());
        String prompt = settings.promptFormat().render(messages, tools);
        Run run = new Run(prompt, budget, parameters.temperature(), parameters.topP(), events, tools, json);
        if (toolCallStart != null) {
            run.startAnswer(toolCallStart);
        }
        if (settings.callPolicy().teacherWritesAnswer()) {
            run.teacherWritesAnswer();
        } else {
            run.relay();
        }
        return run.response(parameters.modelName() != null ? parameters.modelName() : settings.modelName());
    }

    /**
     * Checks, without calling a backend, what {@link #run} would refuse before its first completion: parameters the
     * relay cannot honour, messages or tools the format cannot render. The streaming model calls it before going
     * asynchronous, so that such a request throws from {@code chat(...)}, as LangChain4j's own streaming models do.
     */
    void check(ChatRequest request) {
        ChatRequestParameters parameters = request.parameters();
        checkSupported(parameters);
        if (parameters.maxOutputTokens() != null) {
            Checks.ensureAtLeast(parameters.maxOutputTokens(), 1, "maxOutputTokens");
        }
        List<ToolSpecification> tools = parameters.toolChoice() == ToolChoice.NONE
                || parameters.toolSpecifications() == null ? List.of() : parameters.toolSpecifications();
        toolCallStart(parameters, tools);
        JsonResponseFormat json = JsonResponseFormat.of(parameters.responseFormat());
        settings.promptFormat().render(json == null ? request.messages() : json.instruct(request.messages()), tools);
    }

    /**
     * What the relay offers LangChain4j: JSON response formats with a schema (instructed, validated and, where a
     * backend can, constrained; see {@link JsonResponseFormat}). Tools need no capability flag.
     */
    static Set<Capability> capabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    /** Throws {@link UnsupportedFeatureException} for a parameter the relay cannot honour (also used at build time). */
    static void checkSupported(ChatRequestParameters parameters) {
        unsupported(parameters.topK() != null, "topK");
        unsupported(parameters.frequencyPenalty() != null, "frequencyPenalty");
        unsupported(parameters.presencePenalty() != null, "presencePenalty");
        unsupported(parameters.stopSequences() != null && !parameters.stopSequences().isEmpty(), "stopSequences");
    }

    private static void unsupported(boolean set, String parameter) {
        if (set) {
            throw new UnsupportedFeatureException(parameter + " is not supported by the relay: its requests take "
                    + "messages, tools, toolChoice, responseFormat, temperature, topP and maxOutputTokens");
        }
    }

    /** For {@code toolChoice REQUIRED}: the text the answer starts with (the format's call opening); else null. */
    private String toolCallStart(ChatRequestParameters parameters, List<ToolSpecification> tools) {
        if (parameters.toolChoice() != ToolChoice.REQUIRED) {
            return null;
        }
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("toolChoice REQUIRED needs at least one tool in the request's "
                    + "toolSpecifications");
        }
        if (parameters.responseFormat() != null && parameters.responseFormat().type() == ResponseFormatType.JSON) {
            throw new UnsupportedFeatureException("toolChoice REQUIRED and a JSON responseFormat exclude each other "
                    + "in the relay: the answer is either a tool call or JSON");
        }
        String start = settings.promptFormat().toolCallStart();
        if (start == null) {
            throw new UnsupportedFeatureException("toolChoice REQUIRED is not supported with "
                    + settings.promptFormat() + ": the format cannot start an answer with a tool call "
                    + "(PromptFormat.toolCallStart() is null)");
        }
        return start;
    }

    /** The state of one request. */
    private final class Run {

        private final String prompt;
        private final int budget;
        private final Double temperature;
        private final Double topP;
        private final RelayEvents events;
        private final List<ToolSpecification> tools;
        private final JsonResponseFormat json;
        private final PromptFormat format = settings.promptFormat();
        private final StringBuilder transcript = new StringBuilder();
        private final StringBuilder visible = new StringBuilder();
        private final VisibleTextFilter filter = new VisibleTextFilter(settings.promptFormat().endMarkers());
        private final List<RelaySegment> pieces = new ArrayList<>();
        private final TokenGate tokenGate = settings.callPolicy().newTokenGate();

        private int studentTokens;
        private int teacherTokens;
        private int uncountedCompletions;
        private int studentPromptTokens;
        private int teacherPromptTokens;
        private Integer studentCachedPromptTokens;
        private Integer teacherCachedPromptTokens;
        private long studentNanos;
        private long teacherNanos;
        private int rounds;
        private int failedRounds;
        private boolean callsForbidden;
        private RelayFinishReason finishReason;
        private RelayRole lastWriter = RelayRole.STUDENT;

        Run(String prompt, int budget, Double temperature, Double topP, RelayEvents events,
            List<ToolSpecification> tools, JsonResponseFormat json) {
            this.prompt = prompt;
            this.budget = budget;
            this.temperature = temperature;
            this.topP = topP;
            this.events = events;
            this.tools = tools;
            this.json = json;
        }

        /**
         * Starts the answer with text the relay writes for the student (e.g. the tool-call opening that
         * {@code toolChoice REQUIRED} needs): it is in S and in the answer, as a student segment of 0 tokens.
         */
        void startAnswer(String start) {
            transcript.append(start);
            StringBuilder written = new StringBuilder();
            write(RelayRole.STUDENT, filter.accept(start), written);
            if (!written.isEmpty()) {
                pieces.add(new RelaySegment(RelayRole.STUDENT, written.toString(), 0));
            }
        }

        /**
         * The JSON schema for a completion that writes the whole answer from its start (a grammar cannot follow a
         * text that another model began, nor allow commands), when there are no tools to call; else null.
         */
        private String wholeAnswerSchema() {
            return json == null || !tools.isEmpty() || transcript.length() > 0 ? null : json.schemaJson();
        }

        private int spent() {
            return studentTokens + teacherTokens + uncountedCompletions;
        }

        void relay() {
            while (finishReason == null) {
                studentTurn();
            }
        }

        private void studentTurn() {
            int remaining = budget - spent();
            if (remaining <= 0) {
                finishReason = RelayFinishReason.MAX_TOKENS;
                return;
            }
            CallPolicy policy = settings.callPolicy();
            CompletionRequest request = CompletionRequest.builder()
                    .prompt(prompt + transcript)
                    .maxTokens(remaining)
                    .stopStrings(policy.studentStopStrings())
                    .temperature(temperature).topP(topP).seed(settings.seed())
                    .logprobs(policy.studentLogprobs())
                    .jsonSchema(policy == CallPolicy.never() || callsForbidden ? wholeAnswerSchema() : null)
                    .build();
            Completion completion;
            int ownFrom = transcript.length();
            try {
                completion = complete(RelayRole.STUDENT, settings.student(), request);
            } catch (BackendFailure failure) {
                RuntimeException e = failure.getCause();
                if (filledContext(e)) {
                    return;
                }
                String name = settings.student().name();
                throw new RelayBackendException(RelayRole.STUDENT, name, rounds, "student backend '" + name
                        + "' failed (after " + rounds + " teacher round(s)): " + e.getMessage(), e);
            }
            if (endedBy(completion)) {
                finishReason = RelayFinishReason.STUDENT_DONE;
                return;
            }
            if (completion.finishReason() == Completion.FinishReason.LENGTH) {
                finishReason = spent() >= budget ? RelayFinishReason.MAX_TOKENS : RelayFinishReason.BACKEND_LENGTH;
                return;
            }
            if (completion.finishReason() != Completion.FinishReason.REFUSED
                    && !CommandParser.CLOSE.equals(completion.stopString())) {
                finishReason = RelayFinishReason.STUDENT_DONE; // a stop string of the policy's own
                return;
            }
            // only this completion's text can hold the student's command: a <call> the teacher wrote (or left open
            // for the student to close) is never run
            CharSequence own = transcript.subSequence(ownFrom, transcript.length());
            CallPolicy.CallRequest call = callsForbidden ? null
                    : policy.callAfterStudent(completion, own, settings);
            if (call == null) {
                CommandParser.Command command = CommandParser.trailingCommand(own);
                if (command != null) {
                    events.onCommand(command.markup(), 0);
                }
                return;
            }
            int tokens = Math.max(0, Math.min(call.requestedTokens(), settings.maxCallTokens()));
            if (tokens > 0) {
                finishReason = budgetEnd();
            }
            if (tokens == 0 || finishReason != null) {
                if (!call.markup().isEmpty()) {
                    events.onCommand(call.markup(), 0);
                }
                return;
            }
            tokens = Math.min(tokens, budget - spent());
            if (settings.maxTeacherTokens() != null) {
                tokens = Math.min(tokens, settings.maxTeacherTokens() - teacherTokens);
            }
            if (!call.markup().isEmpty()) { // a confidence call leaves no command in the text
                events.onCommand(call.markup(), tokens);
            }
            teacherTurn(call, tokens);
        }

        /** The budget that ends the answer now that the student asks for a call, or null. */
        private RelayFinishReason budgetEnd() {
            if (spent() >= budget) {
                return RelayFinishReason.MAX_TOKENS;
            }
            if (rounds >= settings.maxRounds()) {
                return RelayFinishReason.MAX_ROUNDS;
            }
            if (settings.maxTeacherTokens() != null && teacherTokens >= settings.maxTeacherTokens()) {
                return RelayFinishReason.MAX_TEACHER_TOKENS;
            }
            return null;
        }

        private void teacherTurn(CallPolicy.CallRequest call, int tokens) {
            int commandAt = transcript.length() - call.markup().length();
            int round = ++rounds;
            events.onRoundStart(round, tokens);
            CompletionRequest request = CompletionRequest.builder()
                    .prompt(prompt + visible)
                    .maxTokens(tokens)
                    .exactLength(settings.exactCallTokens())
                    .temperature(temperature).topP(topP).seed(settings.seed())
                    .build();
            Completion completion;
            try {
                completion = complete(RelayRole.TEACHER, settings.teacher(), request);
            } catch (BackendFailure failure) {
                transcript.delete(commandAt, commandAt + call.markup().length());
                if (filledContext(failure.getCause())) {
                    failedRounds++;
                } else {
                    teacherFailed(round, tokens, failure.getCause());
                }
                events.onRoundEnd(round, true);
                return;
            }
            events.onRoundEnd(round, false);
            if (endedBy(completion)) {
                finishReason = RelayFinishReason.TEACHER_EOS;
            }
        }

        /**
         * Whether a backend failed because the relay's own text has filled its context: the answer then ends here
         * with {@link RelayFinishReason#BACKEND_LENGTH}, keeping what was written. A conversation that is too long
         * before anything was written stays an error (the caller has to shorten it).
         */
        private boolean filledContext(RuntimeException e) {
            if (!(e instanceof ContextLengthExceededException) || transcript.isEmpty()) {
                return false;
            }
            log.debug("the relay's text filled a backend's context, the answer ends here: {}", e.getMessage());
            finishReason = RelayFinishReason.BACKEND_LENGTH;
            return true;
        }

        private void teacherFailed(int round, int tokens, RuntimeException e) {
            String name = settings.teacher().name();
            String what = "teacher backend '" + name + "' failed in round " + round + " (a call for " + tokens
                    + " tokens)";
            if (settings.teacherFailurePolicy() == TeacherFailurePolicy.FAIL) {
                throw new RelayBackendException(RelayRole.TEACHER, name, round, what + ": " + e.getMessage(), e);
            }
            failedRounds++;
            callsForbidden = true;
            log.warn("{}; the student continues without further teacher calls (teacherFailurePolicy "
                    + "CONTINUE_WITH_STUDENT): {}", what, e.toString());
        }

        /** {@link CallPolicy#teacherOnly()}: the teacher writes the whole answer. */
        void teacherWritesAnswer() {
            int tokens = budget;
            if (settings.maxTeacherTokens() != null) {
                tokens = Math.min(tokens, settings.maxTeacherTokens());
            }
            if (tokens <= 0) {
                finishReason = RelayFinishReason.MAX_TEACHER_TOKENS;
                return;
            }
            int round = ++rounds;
            events.onRoundStart(round, tokens);
            CompletionRequest request = CompletionRequest.builder()
                    .prompt(prompt + visible).maxTokens(tokens)
                    .temperature(temperature).topP(topP).seed(settings.seed())
                    .jsonSchema(wholeAnswerSchema())
                    .build();
            Completion completion;
            try {
                completion = complete(RelayRole.TEACHER, settings.teacher(), request);
            } catch (BackendFailure failure) {
                RuntimeException e = failure.getCause();
                if (settings.student() == null) {
                    String name = settings.teacher().name();
                    throw new RelayBackendException(RelayRole.TEACHER, name, round, "teacher backend '" + name
                            + "' failed writing the answer (callPolicy teacher-only, no student to continue with): "
                            + e.getMessage(), e);
                }
                teacherFailed(round, tokens, e);
                events.onRoundEnd(round, true);
                relay();
                return;
            }
            events.onRoundEnd(round, false);
            if (endedBy(completion)) {
                finishReason = RelayFinishReason.TEACHER_EOS;
            } else if (completion.generatedTokens() >= tokens) {
                finishReason = tokens == budget ? RelayFinishReason.MAX_TOKENS : RelayFinishReason.MAX_TEACHER_TOKENS;
            } else {
                finishReason = RelayFinishReason.BACKEND_LENGTH;
            }
        }

        /** Whether the completion ended its model's turn: end-of-sequence, or an end marker in its text. */
        private boolean endedBy(Completion completion) {
            return completion.finishReason() == Completion.FinishReason.EOS || filter.ended();
        }

        /** Calls the backend, feeding the transcript, the visible text and the events as the text arrives. */
        private Completion complete(RelayRole role, CompletionBackend backend, CompletionRequest request) {
            // the training-free relay sees each student token, while calls are still possible
            TokenGate gate = role == RelayRole.STUDENT && tokenGate != null && !callsForbidden && budgetEnd() == null
                    ? tokenGate : null;
            StringBuilder written = new StringBuilder();
            long start = System.nanoTime();
            Completion completion = null;
            if (events.isCancelled()) {
                throw new CancellationException("the relay request was cancelled");
            }
            try {
                if (gate != null ? backend.supportsTokenRefusal() : events.streaming()) {
                    completion = backend.completeStreaming(request, new StreamingCompletionHandler() {
                        @Override
                        public void onPartialText(String text) {
                            accept(role, text, written);
                        }

                        @Override
                        public boolean isCancelled() {
                            return events.isCancelled();
                        }

                        @Override
                        public boolean acceptToken(TokenLogprob token) {
                            return gate == null || gate.accept(token);
                        }
                    });
                } else {
                    Completion blocking = backend.complete(request);
                    if (gate != null) {
                        blocking = TokenGate.cut(blocking, gate); // no refusal mid-stream: cut after the fact
                    }
                    accept(role, blocking.text(), written);
                    completion = blocking;
                }
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new BackendFailure(e);
            } finally {
                long nanos = System.nanoTime() - start;
                if (role == RelayRole.STUDENT) {
                    studentNanos += nanos;
                } else {
                    teacherNanos += nanos;
                }
                if (!written.isEmpty()) { // also the text a failing streaming call wrote before it failed
                    int tokens = completion == null ? 0 : completion.generatedTokens();
                    pieces.add(new RelaySegment(role, written.toString(), tokens));
                }
            }
            count(role, completion);
            if (completion.generatedTokens() == 0 && !completion.text().isEmpty()) {
                uncountedCompletions++; // a backend that does not count still spends budget: no endless loop
            }
            return completion;
        }

        private void accept(RelayRole role, String text, StringBuilder written) {
            if (filter.ended()) {
                return;
            }
            transcript.append(text);
            write(role, filter.accept(text), written);
        }

        private void write(RelayRole role, String text, StringBuilder written) {
            if (text.isEmpty()) {
                return;
            }
            lastWriter = role;
            written.append(text);
            visible.append(text);
            if (role == RelayRole.STUDENT) {
                events.onStudentText(text);
            } else {
                events.onTeacherText(text);
            }
        }

        private void count(RelayRole role, Completion completion) {
            if (role == RelayRole.STUDENT) {
                studentTokens += completion.generatedTokens();
                studentPromptTokens += completion.promptTokens();
                studentCachedPromptTokens = add(studentCachedPromptTokens, completion.cachedPromptTokens());
            } else {
                teacherTokens += completion.generatedTokens();
                teacherPromptTokens += completion.promptTokens();
                teacherCachedPromptTokens = add(teacherCachedPromptTokens, completion.cachedPromptTokens());
            }
        }

        private static Integer add(Integer sum, Integer value) {
            if (value == null) {
                return sum;
            }
            return sum == null ? value : Integer.valueOf(sum + value);
        }

        ChatResponse response(String modelName) {
            String tail = filter.finish();
            if (!tail.isEmpty()) {
                StringBuilder written = new StringBuilder();
                write(lastWriter, tail, written);
                pieces.add(new RelaySegment(lastWriter, tail, 0));
            }
            String answer = visible.toString();
            AiMessage aiMessage = format.parseAnswer(answer);
            List<String> toolCallProblems = format.toolCallProblems(answer, tools);
            for (String problem : toolCallProblems) {
                log.warn("{}: {}", settings.modelName(), problem);
            }
            if (json != null && !aiMessage.hasToolExecutionRequests()) {
                aiMessage = AiMessage.builder().text(json.validate(aiMessage.text(), finishReason))
                        .thinking(aiMessage.thinking()).build();
            }
            FinishReason reason = aiMessage.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION
                    : finishReason == RelayFinishReason.STUDENT_DONE || finishReason == RelayFinishReason.TEACHER_EOS
                    ? FinishReason.STOP : FinishReason.LENGTH;
            RelayResponseMetadata metadata = RelayResponseMetadata.builder()
                    .modelName(modelName)
                    .tokenUsage(new TokenUsage(studentPromptTokens + teacherPromptTokens, studentTokens + teacherTokens))
                    .finishReason(reason)
                    .relayFinishReason(finishReason)
                    .toolCallProblems(toolCallProblems)
                    .studentTokens(studentTokens).teacherTokens(teacherTokens)
                    .studentPromptTokens(studentPromptTokens).teacherPromptTokens(teacherPromptTokens)
                    .studentCachedPromptTokens(studentCachedPromptTokens)
                    .teacherCachedPromptTokens(teacherCachedPromptTokens)
                    .rounds(rounds).failedRounds(failedRounds)
                    .segments(merge(pieces))
                    .studentLatency(Duration.ofNanos(studentNanos)).teacherLatency(Duration.ofNanos(teacherNanos))
                    .build();
            return ChatResponse.builder().aiMessage(aiMessage).metadata(metadata).build();
        }
    }

    /** A backend's exception on its way to the turn that decides what it means. */
    private static final class BackendFailure extends RuntimeException {

        BackendFailure(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /** Merges adjacent pieces of one model. */
    static List<RelaySegment> merge(List<RelaySegment> pieces) {
        List<RelaySegment> segments = new ArrayList<>();
        for (RelaySegment piece : pieces) {
            int last = segments.size() - 1;
            if (last >= 0 && segments.get(last).role() == piece.role()) {
                RelaySegment previous = segments.remove(last);
                segments.add(new RelaySegment(piece.role(), previous.text() + piece.text(),
                        previous.tokens() + piece.tokens()));
            } else {
                segments.add(piece);
            }
        }
        return List.copyOf(segments);
    }
}
