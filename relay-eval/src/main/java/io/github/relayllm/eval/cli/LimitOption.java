package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.data.Problem;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --limit}: the commands that go over a dataset can take only its first problems. */
final class LimitOption {

    @Option(names = "--limit", paramLabel = "N",
            description = "Use only the first N problems of the dataset (filter: the N of the run's --limit)")
    Integer limit;

    /** The first {@code --limit} of the problems, or all of them. */
    List<Problem> first(List<Problem> problems) {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1 (it is " + limit + ")");
        }
        return limit == null ? problems : problems.subList(0, Math.min(limit, problems.size()));
    }
}
