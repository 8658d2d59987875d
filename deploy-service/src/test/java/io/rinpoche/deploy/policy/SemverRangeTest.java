package io.rinpoche.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The npm range notation, checked case by case against node-semver's documented expansions. */
class SemverRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
            *                   ; 0.0.1         ; true
            *                   ; 1.0.0-rc.1    ; false
            >=1.0.0 <2.0.0      ; 1.0.0         ; true
            >=1.0.0 <2.0.0      ; 1.99.99       ; true
            >=1.0.0 <2.0.0      ; 2.0.0         ; false
            >=1.0.0 <2.0.0      ; 0.9.9         ; false
            >= 1.0.0 < 2.0.0    ; 1.5.0         ; true
            ^1.2                ; 1.2.0         ; true
            ^1.2                ; 1.9.9         ; true
            ^1.2                ; 2.0.0         ; false
            ^1.2                ; 1.1.9         ; false
            ^1.2                ; 1.3.0-rc.1    ; false
            ^1.2.3              ; 1.2.3         ; true
            ^1.2.3              ; 1.2.2         ; false
            ^0.2.3              ; 0.2.9         ; true
            ^0.2.3              ; 0.3.0         ; false
            ^0.0.3              ; 0.0.3         ; true
            ^0.0.3              ; 0.0.4         ; false
            ^0.0                ; 0.0.9         ; true
            ^0.0                ; 0.1.0         ; false
            ^1                  ; 1.9.0         ; true
            ~1.2.3              ; 1.2.9         ; true
            ~1.2.3              ; 1.3.0         ; false
            ~1.2.3              ; 1.2.2         ; false
            ~1.2                ; 1.2.0         ; true
            ~1                  ; 1.9.9         ; true
            ~1                  ; 2.0.0         ; false
            1.2.x               ; 1.2.7         ; true
            1.2.x               ; 1.3.0         ; false
            1.x                 ; 1.0.0         ; true
            1.2.3               ; 1.2.3         ; true
            =1.2.3              ; 1.2.4         ; false
            >1.2                ; 1.2.9         ; false
            >1.2                ; 1.3.0         ; true
            >1.2.3              ; 1.2.4         ; true
            <=1.2               ; 1.2.9         ; true
            <=1.2               ; 1.3.0         ; false
            <1.2                ; 1.1.9         ; true
            <1.2                ; 1.2.0         ; false
            ^1.0.0 || ^3.0.0    ; 3.1.0         ; true
            ^1.0.0 || ^3.0.0    ; 2.1.0         ; false
            >=1.2.3-beta.1      ; 1.2.3-beta.2  ; true
            >=1.2.3-beta.1      ; 1.2.4-beta.2  ; false
            >=1.2.3-beta.1      ; 1.2.4         ; true
            """)
    void contains(String range, String version, boolean expected) {
        assertThat(SemverRange.parse(range).matches(SemverVersion.parse(version).orElseThrow())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ">=", "1.2.3 - 2.0.0", "^1.2.3 ||", "1.2.3.4", ">*", "<x", "~>1.2", "1.2-rc",
            "latest", ">=1.0.0 <2.0.0 | 3"})
    void refusesWhatIsNotARange(String range) {
        assertThatIllegalArgumentException().isThrownBy(() -> SemverRange.parse(range));
    }
}
