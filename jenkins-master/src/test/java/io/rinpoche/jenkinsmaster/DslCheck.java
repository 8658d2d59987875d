package io.rinpoche.jenkinsmaster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks a declarative Jenkinsfile's structure and a job-dsl script's method names against
 * plugins/dsl-model.yaml (generated from the pinned plugins' sources). Groovy is parsed to its AST; nothing runs.
 */
final class DslCheck {

    /** What Groovy itself offers a script, whatever the plugins. */
    private static final Set<String> GROOVY = Set.of("println", "print", "printf", "sprintf", "sleep", "use", "with", "evaluate");

    private final Map<String, List<String>> model;

    @SuppressWarnings("unchecked")
    private DslCheck(Map<String, ?> model) {
        this.model = (Map<String, List<String>>) model;
    }

    static DslCheck read(Path model) {
        return new DslCheck(new Yaml().load(text(model)));
    }

    /** The pipeline block, its sections, stages, agents, conditions and steps. */
    List<String> jenkinsfileProblems(Path file) {
        List<String> problems = new ArrayList<>();
        List<MethodCallExpression> pipeline = calls(block(parse(file).getStatementBlock())).stream()
                .filter(c -> c.getMethodAsString().equals("pipeline")).toList();
        if (pipeline.size() != 1 || closure(pipeline.get(0)) == null) {
            return List.of(file + ": a declarative Jenkinsfile has exactly one pipeline { } block");
        }
        new Walk(file, problems).section(closure(pipeline.get(0)), "pipeline", "pipeline");
        return problems;
    }

    /** Every method a job-dsl script calls on its implicit receiver is one job-dsl offers. */
    List<String> jobDslProblems(Path file) {
        List<String> problems = new ArrayList<>();
        Set<String> known = new TreeSet<>(model.get("jobDsl"));
        ModuleNode module = parse(file);
        // Methods the script declares itself are its own to call.
        module.getClasses().forEach(c -> c.getMethods().forEach(m -> known.add(m.getName())));
        CodeVisitorSupport visitor = new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                String name = call.getMethodAsString();
                if (call.isImplicitThis() && name != null && !known.contains(name) && !GROOVY.contains(name)) {
                    problems.add(file + ":" + call.getLineNumber() + ": '" + name + "' is no job-dsl method"
                            + CascCheck.hint(name, known));
                }
                super.visitMethodCallExpression(call);
            }
        };
        module.getStatementBlock().visit(visitor);
        // The script's own class holds the statement block again as run(): only other classes' methods.
        for (ClassNode c : module.getClasses().stream().filter(c -> !c.isScript()).toList()) {
            for (MethodNode m : c.getMethods()) {
                if (m.getCode() != null) {
                    m.getCode().visit(visitor);
                }
            }
        }
        return problems;
    }

    /** Walks the declarative tree: which names each block may hold. */
    private final class Walk {
        private final Path file;
        private final List<String> problems;

        Walk(Path file, List<String> problems) {
            this.file = file;
            this.problems = problems;
        }

        void section(ClosureExpression body, String kind, String where) {
            for (MethodCallExpression call : statements(body, where)) {
                String name = call.getMethodAsString();
                if (!known(kind, name, where, call)) {
                    continue;
                }
                ClosureExpression inner = closure(call);
                switch (name) {
                    case "agent" -> agent(call, where + ".agent");
                    case "stages", "parallel" -> stages(inner, where + "." + name);
                    case "post" -> names(inner, "post", where + ".post", true);
                    case "when" -> names(inner, "when", where + ".when", false);
                    case "steps" -> steps(inner, where + ".steps");
                    default -> { }
                }
            }
        }

        private void stages(ClosureExpression body, String where) {
            for (MethodCallExpression call : statements(body, where)) {
                if (!call.getMethodAsString().equals("stage") || closure(call) == null) {
                    problems.add(file + ":" + call.getLineNumber() + ": " + where + " holds only stage('name') { }, not '" + call.getMethodAsString() + "'");
                } else {
                    section(closure(call), "stage", where + ".stage");
                }
            }
        }

        private void agent(MethodCallExpression call, String where) {
            Expression argument = arguments(call).isEmpty() ? null : arguments(call).get(0);
            if (argument instanceof VariableExpression v) {
                known("agent", v.getName(), where, call);
            } else if (argument instanceof ClosureExpression c) {
                names(c, "agent", where, false);
            }
        }

        /** Each call in the block is a name of {@code kind}; post conditions hold steps, when conditions nest. */
        private void names(ClosureExpression body, String kind, String where, boolean bodiesAreSteps) {
            for (MethodCallExpression call : statements(body, where)) {
                if (known(kind, call.getMethodAsString(), where, call) && closure(call) != null) {
                    if (bodiesAreSteps) {
                        steps(closure(call), where + "." + call.getMethodAsString());
                    } else if (Set.of("allOf", "anyOf", "not").contains(call.getMethodAsString())) {
                        names(closure(call), kind, where + "." + call.getMethodAsString(), false);
                    }
                }
            }
        }

        private void steps(ClosureExpression body, String where) {
            for (MethodCallExpression call : statements(body, where)) {
                if (known("steps", call.getMethodAsString(), where, call) && !call.getMethodAsString().equals("script") && closure(call) != null) {
                    steps(closure(call), where + "." + call.getMethodAsString());
                }
            }
        }

        private boolean known(String kind, String name, String where, MethodCallExpression call) {
            List<String> names = model.get(kind);
            if (names.contains(name)) {
                return true;
            }
            problems.add(file + ":" + call.getLineNumber() + ": '" + name + "' is not allowed in " + where
                    + CascCheck.hint(name, names) + (names.size() < 20 ? " (allowed: " + names + ")" : ""));
            return false;
        }

        /** The block's statements, each a method call; anything else is reported. */
        private List<MethodCallExpression> statements(ClosureExpression body, String where) {
            if (body == null) {
                return List.of();
            }
            List<MethodCallExpression> calls = new ArrayList<>();
            for (Statement s : block(body.getCode())) {
                if (s instanceof ExpressionStatement e && e.getExpression() instanceof MethodCallExpression call && call.isImplicitThis()) {
                    calls.add(call);
                } else {
                    problems.add(file + ":" + s.getLineNumber() + ": " + where + " holds only sections, directives or steps, not '" + s.getText() + "'");
                }
            }
            return calls;
        }
    }

    private static List<MethodCallExpression> calls(List<Statement> statements) {
        return statements.stream().filter(s -> s instanceof ExpressionStatement e && e.getExpression() instanceof MethodCallExpression)
                .map(s -> (MethodCallExpression) ((ExpressionStatement) s).getExpression()).toList();
    }

    private static List<Statement> block(Statement statement) {
        return statement instanceof BlockStatement b ? b.getStatements() : List.of(statement);
    }

    private static List<Expression> arguments(MethodCallExpression call) {
        return call.getArguments() instanceof TupleExpression t ? t.getExpressions()
                : call.getArguments() instanceof ArgumentListExpression a ? a.getExpressions() : List.of();
    }

    private static ClosureExpression closure(MethodCallExpression call) {
        List<Expression> arguments = arguments(call);
        return !arguments.isEmpty() && arguments.get(arguments.size() - 1) instanceof ClosureExpression c ? c : null;
    }

    private static ModuleNode parse(Path file) {
        CompilationUnit unit = new CompilationUnit();
        SourceUnit source = unit.addSource(file.getFileName().toString(), text(file));
        unit.compile(Phases.CONVERSION);
        return source.getAST();
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
