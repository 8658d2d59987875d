package io.rinpoche.jenkinsmaster.casc;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every type declared in a set of Java sources, with the facts JCasC reads, and name resolution between them. */
final class JavaIndex {

    private final JavaParser parser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    private final Map<String, TypeInfo> types = new HashMap<>();
    private int unparsable;

    /** Adds one source file's types (a file Java 21 cannot parse is counted and skipped). */
    void add(String source) {
        ParseResult<CompilationUnit> result = parser.parse(source);
        if (result.getResult().isEmpty() || !result.isSuccessful()) {
            unparsable++;
            return;
        }
        CompilationUnit unit = result.getResult().get();
        String pkg = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        List<String> imports = unit.getImports().stream().filter(i -> !i.isStatic())
                .map(i -> i.getNameAsString() + (i.isAsterisk() ? ".*" : "")).toList();
        unit.getTypes().forEach(t -> add(t, pkg, null, imports));
    }

    /** Marks the types whose descriptor has a global configuration page. */
    void globalPage(String fqn) {
        TypeInfo type = types.get(fqn);
        if (type != null) {
            type.hasGlobalPage = true;
        }
    }

    int unparsable() {
        return unparsable;
    }

    Collection<TypeInfo> all() {
        return types.values();
    }

    TypeInfo get(String fqn) {
        return types.get(fqn);
    }

    private void add(TypeDeclaration<?> declaration, String pkg, TypeInfo outer, List<String> imports) {
        String name = declaration.getNameAsString();
        String fqn = outer != null ? outer.fqn + "." + name : pkg.isEmpty() ? name : pkg + "." + name;
        boolean isInterface = declaration instanceof ClassOrInterfaceDeclaration c && c.isInterface();
        boolean isAbstract = isInterface || declaration.hasModifier(Modifier.Keyword.ABSTRACT);
        TypeInfo type = new TypeInfo(fqn, name, pkg, outer == null ? null : outer.fqn, imports, isAbstract, declaration instanceof EnumDeclaration);
        if (declaration instanceof ClassOrInterfaceDeclaration c) {
            c.getExtendedTypes().forEach(t -> type.supers.add(t.asString()));
            c.getImplementedTypes().forEach(t -> type.supers.add(t.asString()));
            type.superclass = c.isInterface() || c.getExtendedTypes().isEmpty() ? null : c.getExtendedTypes(0).asString();
        }
        if (declaration instanceof EnumDeclaration e) {
            e.getEntries().forEach(entry -> type.enumValues.add(entry.getNameAsString()));
        }
        declaration.getAnnotationByName("Symbol").ifPresent(a -> type.symbols.addAll(strings(a)));
        for (BodyDeclaration<?> member : declaration.getMembers()) {
            member(type, member, isInterface);
        }
        configurator(type, declaration);
        types.put(fqn, type);
        declaration.getMembers().stream().filter(m -> m instanceof TypeDeclaration<?>)
                .forEach(m -> add((TypeDeclaration<?>) m, pkg, type, imports));
    }

    private static void member(TypeInfo type, BodyDeclaration<?> member, boolean inInterface) {
        if (member instanceof ConstructorDeclaration c && c.getAnnotationByName("DataBoundConstructor").isPresent()) {
            type.constructor = new java.util.LinkedHashMap<>();
            c.getParameters().forEach(p -> type.constructor.put(p.getNameAsString(), p.getType().asString()));
        } else if (member instanceof MethodDeclaration m && (m.isPublic() || inInterface && !m.isPrivate())) {
            method(type, m);
        } else if (member instanceof FieldDeclaration f && f.isPublic()) {
            f.getVariables().forEach(v -> type.lists.putIfAbsent(v.getNameAsString(), v.getType().asString()));
        }
    }

    private static void method(TypeInfo type, MethodDeclaration m) {
        String name = m.getNameAsString();
        int params = m.getParameters().size();
        if (name.startsWith("set") && name.length() > 3 && params == 1) {
            type.setters.putIfAbsent(uncapitalize(name.substring(3)), m.getParameter(0).getType().asString());
        } else if (params == 0 && name.startsWith("get") && name.length() > 3) {
            type.getters.add(name.substring(3));
            type.lists.putIfAbsent(uncapitalize(name.substring(3)), m.getType().asString());
        } else if (params == 0 && name.startsWith("is") && name.length() > 2) {
            type.getters.add(name.substring(2));
        }
        if (name.equals("getCategory")) {
            String body = m.toString();
            type.category = body.contains("Security") ? "security" : body.contains("Tool") ? "tool" : body.contains("Appearance") ? "appearance" : null;
        }
    }

    /** A JCasC configurator: getName() "x", getTarget() X.class, new Attribute<..>("name", Type.class). */
    private static void configurator(TypeInfo type, TypeDeclaration<?> declaration) {
        for (MethodDeclaration m : declaration.getMethods()) {
            Optional<Expression> returned = m.findFirst(ReturnStmt.class).flatMap(ReturnStmt::getExpression);
            if (m.getNameAsString().equals("getName") && returned.filter(Expression::isStringLiteralExpr).isPresent()) {
                type.configuratorName = returned.get().asStringLiteralExpr().asString();
            } else if (m.getNameAsString().equals("getFunctionName") && returned.filter(Expression::isStringLiteralExpr).isPresent()) {
                type.functionName = returned.get().asStringLiteralExpr().asString();
            } else if (m.getNameAsString().equals("getTarget") && returned.filter(Expression::isClassExpr).isPresent()) {
                type.configuratorTarget = returned.get().asClassExpr().getType().asString();
            }
        }
        // DataBoundConfigurator subclasses name their target in the constructor: super(X.class).
        for (ExplicitConstructorInvocationStmt call : declaration.findAll(ExplicitConstructorInvocationStmt.class)) {
            if (type.configuratorTarget == null && !call.isThis() && call.getArguments().size() == 1 && call.getArgument(0) instanceof ClassExpr cls) {
                type.configuratorTarget = cls.getType().asString();
            }
        }
        for (ObjectCreationExpr created : declaration.findAll(ObjectCreationExpr.class)) {
            String kind = created.getType().getNameAsString();
            if ((kind.equals("Attribute") || kind.equals("MultivaluedAttribute")) && created.getArguments().size() >= 2
                    && created.getArgument(0) instanceof StringLiteralExpr attribute && created.getArgument(1) instanceof ClassExpr cls) {
                String t = cls.getType().asString();
                type.configuratorAttributes.put(attribute.asString(), kind.equals("MultivaluedAttribute") ? "List<" + t + ">" : t);
            }
        }
    }

    private static List<String> strings(AnnotationExpr annotation) {
        Expression value = annotation instanceof SingleMemberAnnotationExpr s ? s.getMemberValue()
                : annotation instanceof NormalAnnotationExpr n ? n.getPairs().stream().filter(p -> p.getNameAsString().equals("value"))
                        .map(p -> p.getValue()).findFirst().orElse(null) : null;
        List<String> strings = new ArrayList<>();
        if (value instanceof StringLiteralExpr s) {
            strings.add(s.asString());
        } else if (value instanceof ArrayInitializerExpr array) {
            array.getValues().stream().filter(Expression::isStringLiteralExpr).forEach(v -> strings.add(v.asStringLiteralExpr().asString()));
        }
        return strings;
    }

    /**
     * The fully qualified name a type written as {@code raw} in {@code context} means: nested types of the
     * context and its enclosing types, imports, the same package, wildcard imports; null when unknown.
     */
    String resolve(String raw, TypeInfo context) {
        String base = raw.replaceAll("<.*>", "").replace("[]", "").replace("...", "").replaceAll("@\\S+\\s+", "").strip();
        if (types.containsKey(base)) {
            return base;
        }
        String first = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
        String rest = base.substring(first.length());
        for (TypeInfo c = context; c != null; c = c.enclosing == null ? null : types.get(c.enclosing)) {
            String nested = nestedIn(c, first, new LinkedHashSet<>());
            if (nested != null && types.containsKey(nested + rest)) {
                return nested + rest;
            }
        }
        for (String imported : context.imports) {
            String candidate = imported.endsWith("." + first) ? imported + rest
                    : imported.endsWith(".*") ? imported.substring(0, imported.length() - 1) + base : null;
            if (candidate != null && types.containsKey(candidate)) {
                return candidate;
            }
        }
        String samePackage = context.packageName + "." + base;
        return types.containsKey(samePackage) ? samePackage : null;
    }

    /** A type named {@code name} declared in {@code type} or inherited from one of its supertypes. */
    private String nestedIn(TypeInfo type, String name, Set<String> seen) {
        if (!seen.add(type.fqn)) {
            return null;
        }
        if (types.containsKey(type.fqn + "." + name)) {
            return type.fqn + "." + name;
        }
        for (String s : type.supers) {
            String parent = resolveShallow(s, type);
            TypeInfo p = parent == null ? null : types.get(parent);
            String found = p == null ? null : nestedIn(p, name, seen);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Resolution without looking into supertypes (used while walking them). */
    private String resolveShallow(String raw, TypeInfo context) {
        String base = raw.replaceAll("<.*>", "").strip();
        for (String imported : context.imports) {
            if (imported.endsWith("." + base) && types.containsKey(imported)) {
                return imported;
            }
        }
        if (context.enclosing != null && types.containsKey(context.enclosing + "." + base)) {
            return context.enclosing + "." + base;
        }
        String samePackage = context.packageName + "." + base;
        return types.containsKey(samePackage) ? samePackage : types.containsKey(base) ? base : null;
    }

    static String uncapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

}
