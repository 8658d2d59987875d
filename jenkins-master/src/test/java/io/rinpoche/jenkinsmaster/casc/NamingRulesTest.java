package io.rinpoche.jenkinsmaster.casc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JCasC's names for an implementation of an extension point, as the model generator applies them. */
class NamingRulesTest {

    @Test
    void aClassWithoutSymbolIsCalledByItsSimpleNameWithALowerCaseFirstLetter() {
        TypeInfo token = type("GitLabApiTokenImpl");

        assertThat(CascModel.symbols(token, type("DescriptorImpl"), "Credentials")).containsExactly("gitLabApiTokenImpl");
    }

    @Test
    void theSymbolComesFirstThenTheSuffixRulesThenTheClassName() {
        TypeInfo descriptor = type("DescriptorImpl");
        descriptor.symbols.add("usernamePassword");

        assertThat(CascModel.symbols(type("UsernamePasswordCredentialsImpl"), descriptor, "Credentials"))
                .containsExactly("usernamePassword", "usernamePassword", "usernamePasswordCredentialsImpl");
        assertThat(CascModel.symbols(type("DockerCloud"), type("DescriptorImpl"), "Cloud")).containsExactly("docker", "dockerCloud");
    }

    @Test
    void anAllCapitalsNameBecomesLowerCase() {
        assertThat(CascModel.normalize("URL")).isEqualTo("url");
        assertThat(CascModel.normalize("GitLabServers")).isEqualTo("gitLabServers");
    }

    private static TypeInfo type(String simpleName) {
        return new TypeInfo("x." + simpleName, simpleName, "x", null, List.of(), false, false);
    }
}
