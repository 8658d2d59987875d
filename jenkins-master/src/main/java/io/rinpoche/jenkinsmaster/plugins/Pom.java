package io.rinpoche.jenkinsmaster.plugins;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The parts of a Maven pom that decide a Jenkins plugin's dependencies, as written (nothing interpolated). */
record Pom(String groupId, String artifactId, String packaging, Parent parent, Map<String, String> properties,
        List<Dependency> dependencies, List<Dependency> managed) {

    /** The parent; {@code relativePath} is null when the pom names none (Maven's default ../pom.xml). */
    record Parent(String groupId, String artifactId, String version, String relativePath) {
    }

    /** One dependency as declared; version, scope and type may be null. */
    record Dependency(String groupId, String artifactId, String version, String scope, String type,
            String classifier, boolean optional) {

        boolean isImport() {
            return "import".equals(scope) && "pom".equals(type);
        }

        boolean atRuntime() {
            return scope == null || scope.equals("compile") || scope.equals("runtime");
        }
    }

    static Pom parse(String xml) {
        Element project = document(xml);
        Element parentElement = child(project, "parent");
        Parent parent = parentElement == null ? null : new Parent(text(parentElement, "groupId"),
                text(parentElement, "artifactId"), text(parentElement, "version"), text(parentElement, "relativePath"));
        String groupId = text(project, "groupId");
        return new Pom(groupId != null ? groupId : parent == null ? null : parent.groupId(), text(project, "artifactId"),
                text(project, "packaging"), parent, properties(project), dependencies(child(project, "dependencies")),
                dependencies(child(child(project, "dependencyManagement"), "dependencies")));
    }

    /** Whether this pom builds a Jenkins plugin. */
    boolean isPlugin() {
        return "hpi".equals(packaging) || "jpi".equals(packaging);
    }

    private static Map<String, String> properties(Element project) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Element property : children(child(project, "properties"))) {
            properties.put(property.getTagName(), property.getTextContent().strip());
        }
        return properties;
    }

    private static List<Dependency> dependencies(Element list) {
        List<Dependency> dependencies = new ArrayList<>();
        for (Element d : children(list)) {
            if (d.getTagName().equals("dependency")) {
                dependencies.add(new Dependency(text(d, "groupId"), text(d, "artifactId"), text(d, "version"), text(d, "scope"),
                        text(d, "type"), text(d, "classifier"), "true".equals(text(d, "optional"))));
            }
        }
        return dependencies;
    }

    private static Element document(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("not a pom: " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst().orElse(null);
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    children.add(e);
                }
            }
        }
        return children;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
