package io.rinpoche.jenkinsmaster.casc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configuration model JCasC builds at runtime, rebuilt from sources with its rules (configuration-as-code
 * plugin: BaseConfigurator, DataBoundConfigurator, DescribableAttribute.getSymbols, DescriptorConfigurator):
 * <ul>
 *   <li>attributes of a type: public setX(one argument) that has a getX()/isX(), getX() or public fields
 *       of a PersistedList type, @DataBoundConstructor parameters, and what a configurator class declares;</li>
 *   <li>an abstract type or interface is written as one of its implementations' names: the @Symbol of its
 *       descriptor, the class name without the extension point's name (or name + "Impl") as suffix, and
 *       the class's simple name with a lowercase first letter;</li>
 *   <li>root elements: configurators' getName(), and the categories unclassified, security, tool and
 *       appearance, holding GlobalConfiguration classes and descriptors with a global page.</li>
 * </ul>
 */
final class CascModel {

    private static final Set<String> COLLECTIONS = Set.of("List", "Collection", "Set", "Iterable", "ArrayList", "DescribableList",
            "PersistedList", "CopyOnWriteList");
    private static final String DESCRIPTOR = "hudson.model.Descriptor";
    private static final String PERSISTED_LIST = "hudson.util.PersistedList";

    private final JavaIndex index;
    private final Map<String, Set<String>> ancestors = new HashMap<>();
    private final Map<String, List<TypeInfo>> nested = new HashMap<>();
    private final List<TypeInfo> configurators = new ArrayList<>();

    CascModel(JavaIndex index) {
        this.index = index;
        for (TypeInfo t : index.all()) {
            if (t.enclosing != null) {
                nested.computeIfAbsent(t.enclosing, k -> new ArrayList<>()).add(t);
            }
            if (t.configuratorTarget != null && !t.isAbstract) {
                configurators.add(t);
            }
        }
    }

    /** Root element name -> attribute name -> type reference ("" names a root that is itself a list). */
    Map<String, Map<String, String>> roots() {
        Map<String, Map<String, String>> roots = new TreeMap<>();
        for (TypeInfo t : index.all()) {
            if (t.configuratorName != null && isA(t.fqn, "io.jenkins.plugins.casc.RootElementConfigurator")) {
                String target = t.configuratorTarget == null ? null : index.resolve(t.configuratorTarget, t);
                Map<String, String> attributes = target != null ? attributes(index.get(target)) : declared(t);
                roots.put(t.configuratorName, attributes);
            }
        }
        for (String category : List.of("unclassified", "security", "tool", "appearance")) {
            roots.put(category, new TreeMap<>());
        }
        for (TypeInfo t : index.all()) {
            globalConfiguration(t).forEach(name -> roots.get(t.category == null ? "unclassified" : t.category).put(name, t.fqn));
        }
        return roots;
    }

    /** The names a GlobalConfiguration or a descriptor with a global page has under its category. */
    private List<String> globalConfiguration(TypeInfo t) {
        boolean global = !t.isAbstract && (isA(t.fqn, "jenkins.model.GlobalConfiguration") || t.hasGlobalPage && isA(t.fqn, DESCRIPTOR));
        if (!global) {
            return List.of();
        }
        if (!t.symbols.isEmpty()) {
            return t.symbols;
        }
        TypeInfo klass = isA(t.fqn, "jenkins.model.GlobalConfiguration") || t.enclosing == null ? t : index.get(t.enclosing);
        return List.of(JavaIndex.uncapitalize(klass.simpleName));
    }

    /** Every type the roots reach, described: implementations of abstract ones, attributes, enum values. */
    Map<String, Object> types(Map<String, Map<String, String>> roots) {
        Map<String, Object> described = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>();
        roots.values().forEach(attributes -> attributes.values().forEach(queue::add));
        while (!queue.isEmpty()) {
            String ref = element(queue.poll());
            TypeInfo t = index.get(ref);
            if (t == null || described.containsKey(ref)) {
                continue;
            }
            if (t.isEnum) {
                described.put(ref, List.copyOf(t.enumValues));
            } else if (t.isAbstract) {
                Map<String, String> implementations = implementations(t);
                described.put(ref, implementations);
                queue.addAll(implementations.values());
            } else {
                Map<String, String> attributes = attributes(t);
                described.put(ref, new Attributes(attributes));
                queue.addAll(attributes.values());
            }
        }
        return described;
    }

    /** A concrete type's attributes: marker record so the writer tells them from implementations. */
    record Attributes(Map<String, String> attributes) {
    }

    Map<String, String> attributes(TypeInfo type) {
        List<TypeInfo> chain = chain(type);
        Set<String> getters = new LinkedHashSet<>();
        chain.forEach(c -> getters.addAll(c.getters));
        Map<String, String> attributes = new TreeMap<>();
        for (TypeInfo c : chain) {
            c.setters.forEach((name, raw) -> {
                if (getters.contains(Character.toUpperCase(name.charAt(0)) + name.substring(1))) {
                    attributes.putIfAbsent(name, ref(raw, c));
                }
            });
            c.lists.forEach((name, raw) -> {
                String resolved = index.resolve(raw, c);
                if (resolved != null && isA(resolved, PERSISTED_LIST)) {
                    attributes.putIfAbsent(name, ref(raw, c));
                }
            });
        }
        if (type.constructor != null) {
            type.constructor.forEach((name, raw) -> attributes.put(name, ref(raw, type)));
        }
        for (TypeInfo c : configurators) {
            if (type.fqn.equals(index.resolve(c.configuratorTarget, c))) {
                attributes.putAll(declared(c));
            }
        }
        return attributes;
    }

    /** The attributes a configurator class and its configurator superclasses declare. */
    private Map<String, String> declared(TypeInfo configurator) {
        Map<String, String> attributes = new TreeMap<>();
        for (TypeInfo c : chain(configurator)) {
            c.configuratorAttributes.forEach((name, raw) -> attributes.putIfAbsent(name, ref(raw, c)));
        }
        return attributes;
    }

    /** Name -> implementation of an abstract type: concrete subtypes with a nested descriptor. */
    Map<String, String> implementations(TypeInfo extensionPoint) {
        Map<String, String> names = new TreeMap<>();
        for (TypeInfo c : index.all()) {
            if (c.isAbstract || c.isEnum || !isA(c.fqn, extensionPoint.fqn)) {
                continue;
            }
            TypeInfo descriptor = descriptorOf(c);
            if (descriptor != null) {
                symbols(c, descriptor, extensionPoint.simpleName).forEach(name -> names.putIfAbsent(name, c.fqn));
            }
        }
        return names;
    }

    /** DescribableAttribute.getSymbols: @Symbol, then the suffix rules, then the simple name. */
    static List<String> symbols(TypeInfo type, TypeInfo descriptor, String extensionPoint) {
        List<String> symbols = new ArrayList<>(descriptor.symbols);
        String cn = type.simpleName;
        if (cn.endsWith(extensionPoint) && cn.length() > extensionPoint.length()) {
            symbols.add(normalize(cn.substring(0, cn.length() - extensionPoint.length())));
        }
        String impl = extensionPoint + "Impl";
        if (cn.endsWith(impl) && cn.length() > impl.length()) {
            symbols.add(normalize(cn.substring(0, cn.length() - impl.length())));
        }
        symbols.add(normalize(cn));
        return symbols;
    }

    /** Configurator.normalize: all capitals become lower case, otherwise the first letter. */
    static String normalize(String name) {
        return name.toUpperCase().equals(name) ? name.toLowerCase() : JavaIndex.uncapitalize(name);
    }

    private TypeInfo descriptorOf(TypeInfo type) {
        return nested.getOrDefault(type.fqn, List.of()).stream().filter(n -> isA(n.fqn, DESCRIPTOR)).findFirst().orElse(null);
    }

    /** A type reference: "List<fqn>" for collections and arrays, else the fqn, or the name as written when unknown. */
    String ref(String raw, TypeInfo context) {
        String t = raw.replaceAll("@\\S+\\s+", "").strip();
        if (t.endsWith("[]") || t.endsWith("...")) {
            return "List<" + ref(t.replace("[]", "").replace("...", ""), context) + ">";
        }
        String base = t.contains("<") ? t.substring(0, t.indexOf('<')) : t;
        if (COLLECTIONS.contains(base.substring(base.lastIndexOf('.') + 1)) && t.contains("<")) {
            return "List<" + ref(firstArgument(t), context) + ">";
        }
        String resolved = index.resolve(t, context);
        if (resolved == null) {
            return base;
        }
        for (TypeInfo r = index.get(resolved); r != null && r.superclass != null; r = index.get(index.resolve(r.superclass, r) + "")) {
            if (r.superclass.startsWith("DescribableList<") || r.superclass.startsWith("PersistedList<")) {
                return "List<" + ref(firstArgument(r.superclass), r) + ">";
            }
        }
        return resolved;
    }

    /** The type inside List<...>, or the reference itself. */
    static String element(String ref) {
        return ref.startsWith("List<") ? element(ref.substring(5, ref.length() - 1)) : ref;
    }

    private static String firstArgument(String generic) {
        String inner = generic.substring(generic.indexOf('<') + 1, generic.lastIndexOf('>'));
        int depth = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && depth == 0) {
                return inner.substring(0, i).strip();
            }
        }
        return inner.replaceFirst("^\\?\\s+extends\\s+", "").strip();
    }

    /** The type and all its supertypes that are in the sources, the type first. */
    private List<TypeInfo> chain(TypeInfo type) {
        List<TypeInfo> chain = new ArrayList<>();
        chain.add(type);
        ancestorsOf(type.fqn).stream().map(index::get).forEach(chain::add);
        return chain;
    }

    boolean isA(String fqn, String ancestor) {
        return fqn.equals(ancestor) || ancestorsOf(fqn).contains(ancestor);
    }

    private Set<String> ancestorsOf(String fqn) {
        Set<String> cached = ancestors.get(fqn);
        if (cached != null) {
            return cached;
        }
        Set<String> found = new LinkedHashSet<>();
        ancestors.put(fqn, found);
        TypeInfo t = index.get(fqn);
        if (t != null) {
            for (String s : t.supers) {
                String parent = index.resolve(s, t);
                if (parent != null && !parent.equals(fqn)) {
                    found.add(parent);
                    found.addAll(ancestorsOf(parent));
                }
            }
        }
        return found;
    }
}
