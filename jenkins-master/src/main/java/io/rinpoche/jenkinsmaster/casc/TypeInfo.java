package io.rinpoche.jenkinsmaster.casc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Java type of a plugin's (or core's) sources, with what JCasC reads from it. Type names are kept as
 * written; {@link JavaIndex} resolves them against {@link #imports} and {@link #packageName}.
 */
final class TypeInfo {
    final String fqn;
    final String simpleName;
    final String packageName;
    final String enclosing;
    final List<String> imports;
    final boolean isAbstract;
    final boolean isEnum;
    final List<String> supers = new ArrayList<>();
    String superclass;
    final List<String> symbols = new ArrayList<>();
    /** @DataBoundConstructor parameters, name -> type; null when there is none. */
    Map<String, String> constructor;
    /** Public one-argument setX methods: x -> parameter type (the first seen, subclasses first). */
    final Map<String, String> setters = new LinkedHashMap<>();
    /** Names X of public getX()/isX() without parameters. */
    final List<String> getters = new ArrayList<>();
    /** Public no-argument getX() and public fields, x -> type (candidates for JCasC's PersistedList rule). */
    final Map<String, String> lists = new LinkedHashMap<>();
    final List<String> enumValues = new ArrayList<>();
    /** Of a JCasC configurator class: its getName() literal, getTarget() class and declared attributes. */
    String configuratorName;
    String configuratorTarget;
    final Map<String, String> configuratorAttributes = new LinkedHashMap<>();
    /** Of a pipeline step descriptor: the literal its getFunctionName() returns. */
    String functionName;
    /** The GlobalConfigurationCategory its getCategory() names (security, tool, appearance), if any. */
    String category;
    /** Whether the sources hold a global.jelly or global.groovy for it (a descriptor with a global page). */
    boolean hasGlobalPage;

    TypeInfo(String fqn, String simpleName, String packageName, String enclosing, List<String> imports, boolean isAbstract, boolean isEnum) {
        this.fqn = fqn;
        this.simpleName = simpleName;
        this.packageName = packageName;
        this.enclosing = enclosing;
        this.imports = imports;
        this.isAbstract = isAbstract;
        this.isEnum = isEnum;
    }
}
