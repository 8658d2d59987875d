package io.rinpoche.jenkinsmaster.casc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a Jenkinsfile and a job-dsl script may use, from the pinned plugins' sources: declarative's
 * sections (the cases of pipeline-model-definition's ModelParser), its agent types, post conditions and
 * when conditions (@Symbol of their implementations), the steps (every StepDescriptor's getFunctionName()),
 * and job-dsl's methods (public methods of job-dsl-core's DSL classes, plus the Dynamic DSL: every @Symbol
 * and every DataBound parameter or setter name of the pinned plugins, and the class name with a lower-case
 * first letter of every describable).
 */
final class DslModel {

    private static final Pattern CASE = Pattern.compile("case '(\\w+)':");
    private static final Pattern SYMBOL = Pattern.compile("@Symbol\\(\\s*(?:value\\s*=\\s*)?\\{?\\s*\"(\\w+)\"");
    private static final Pattern FUNCTION = Pattern.compile("getFunctionName\\(\\)\\s*\\{\\s*return\\s+[\"'](\\w+)[\"']");
    private static final Pattern GROOVY_METHOD = Pattern.compile("(?m)^ {4}(?!private|protected|static|@)(?:(?:void|def|[A-Z][\\w.]*(?:<[^>\\n]*>)?)\\s+)(\\w+)\\s*\\(");

    final Set<String> pipelineSections = new TreeSet<>();
    final Set<String> stageSections = new TreeSet<>();
    final Set<String> agents = new TreeSet<>();
    final Set<String> postConditions = new TreeSet<>();
    final Set<String> whenConditions = new TreeSet<>();
    final Set<String> steps = new TreeSet<>();
    final Set<String> jobDsl = new TreeSet<>();

    /** The sections of the pipeline block and of a stage, from ModelParser.groovy. */
    void modelParser(String text) {
        pipelineSections.addAll(cases(method(text, "parsePipelineStep")));
        stageSections.addAll(cases(method(text, "parseStage")));
    }

    /** Symbols of declarative's extension points, and steps, from one Groovy or Java source. */
    void declarativeSource(String text) {
        if (text.contains("extends DeclarativeAgent") || text.contains("extends AbstractDockerAgent")
                || text.contains("extends DeclarativeAgentDescriptor")) {
            agents.addAll(all(SYMBOL, text));
        }
        if (text.contains("extends BuildCondition")) {
            postConditions.addAll(all(SYMBOL, text));
        }
        if (text.contains("extends DeclarativeStageConditional")) {
            whenConditions.addAll(all(SYMBOL, text));
        }
        steps.addAll(all(FUNCTION, text));
    }

    /** Public methods of a job-dsl-core DSL class (Groovy). */
    void jobDslSource(String text) {
        jobDsl.addAll(all(GROOVY_METHOD, text));
    }

    /** Steps of the Java sources, and the Dynamic DSL names job-dsl derives from the plugins' describables. */
    void index(JavaIndex index) {
        for (TypeInfo t : index.all()) {
            if (t.functionName != null) {
                steps.add(t.functionName);
            }
            jobDsl.addAll(t.symbols);
            if (t.constructor != null) {
                // A describable without @Symbol is called by its class name, first letter in lower case.
                jobDsl.add(JavaIndex.uncapitalize(t.simpleName));
                jobDsl.addAll(t.constructor.keySet());
            }
            jobDsl.addAll(t.setters.keySet());
        }
    }

    Map<String, Set<String>> sections() {
        return Map.of("pipeline", pipelineSections, "stage", stageSections, "agent", agents, "post", postConditions,
                "when", whenConditions, "steps", steps, "jobDsl", jobDsl);
    }

    private static String method(String text, String name) {
        Matcher declaration = Pattern.compile("(?m)^    \\S.*\\b" + name + "\\(.*\\{\\s*$").matcher(text);
        int start = declaration.find() ? declaration.start() : -1;
        if (start < 0) {
            throw new IllegalStateException("ModelParser has no method " + name + ": the declarative parser changed");
        }
        // The method ends at the first closing brace at its own indentation (four spaces: ModelParser's style).
        int end = text.indexOf("\n    }\n", start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The case labels of a switch, leaving out those whose branch only reports an error (renamed sections). */
    private static List<String> cases(String text) {
        List<String> cases = new ArrayList<>();
        Matcher m = CASE.matcher(text);
        List<int[]> positions = new ArrayList<>();
        while (m.find()) {
            positions.add(new int[] {m.start(1), m.end(1)});
        }
        for (int i = 0; i < positions.size(); i++) {
            int end = i + 1 < positions.size() ? positions.get(i + 1)[0] : text.length();
            String branch = text.substring(positions.get(i)[1], end);
            if (!branch.contains("errorCollector.error") || branch.contains("parse")) {
                cases.add(text.substring(positions.get(i)[0], positions.get(i)[1]));
            }
        }
        return cases;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
